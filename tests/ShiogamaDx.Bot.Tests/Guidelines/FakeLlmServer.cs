using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ShiogamaDx.Bot.Tests.Guidelines;

/// <summary>An OpenAI-compatible chat completions server on loopback: what Ollama or a gateway would be.</summary>
internal sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeLlmServer(WebApplication app) => this.app = app;

    /// <summary>Base URL to configure as Ai:Endpoint (…/v1).</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>Every request body received, in order.</summary>
    public ConcurrentQueue<JsonNode> Requests { get; } = new();

    /// <summary>Completes when a request has arrived (for the timeout test).</summary>
    public TaskCompletionSource RequestArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What to answer: the assistant's text, or null for HTTP 500.</summary>
    public Func<JsonNode, string?> Answer { get; set; } = _ => "（出典: 生成AI利用の手引き（サンプル） 3.2 入力してはいけない情報）";

    /// <summary>Hold every request until the client gives up.</summary>
    public bool Hang { get; set; }

    public static async Task<FakeLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new FakeLlmServer(app);
        app.MapPost("/v1/chat/completions", (Delegate)server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = address.TrimEnd('/') + "/v1";
        return server;
    }

    public static IReadOnlyList<(string Role, string Content)> Messages(JsonNode request) =>
        request["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), ContentOf(m["content"]))).ToList();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static string ContentOf(JsonNode? content) => content switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => string.Empty,
    };

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!;
        Requests.Enqueue(body);
        RequestArrived.TrySetResult();
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return Results.StatusCode(499);
        }

        var text = Answer(body);
        if (text is null)
        {
            return Results.Json(new { error = new { message = "model exploded", type = "server_error" } }, statusCode: 500);
        }

        return Results.Json(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 1_764_000_000,
            model = body["model"]?.GetValue<string>() ?? "fake",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }
}

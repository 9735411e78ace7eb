using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Admin;

/// <summary>
/// The operations key through the real host: checked before anything else is read or routed, and guessing it is
/// slowed per client address (the real one behind the trusted proxy, never a header anyone can send).
/// </summary>
public sealed class OperationsKeyTests
{
    private const string Key = "operations-key-of-this-test";

    private static readonly (string? ContentType, string Body)[] Bodies =
    [
        (null, string.Empty),
        ("application/json", "{\"value\": 1"),
        ("application/json", "{\"value\": 1, \"reason\": \"r\", \"changedBy\": \"c\"}"),
        ("text/csv", "kpiId,fiscalYear,value,reason,changedBy\nrpa-processes,2026,5,r,c"),
        ("application/x-www-form-urlencoded", "key=x"),
        ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"),
        ("text/plain", "hello"),
        ("application/xml", "<a/>"),
        ("a/b", "\u0000\u0001"),
    ];

    [Fact]
    public async Task EveryOperationsRoute_WithoutTheKey_Is401_WhateverTheMethodAndContentType()
    {
        await using var app = new BotApplication(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key, ["ReverseProxy:Enabled"] = "true" });
        using var client = app.CreateClient();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/admin", StringComparison.OrdinalIgnoreCase))
            .Select(e => (Path: Fill(e.RoutePattern.RawText!), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .ToList();
        Assert.True(routes.Count >= 8, $"only {routes.Count} operations routes found");
        Assert.Contains(routes, r => r.Path == "/api/admin/kpis/actuals" && r.Methods.Contains("POST"));
        routes.Add(("/api/admin/no-such-route", ["GET"]));
        routes.Add(("/API/Admin/KPIS", ["GET"]));

        var next = 0;
        var answers = new List<string>();
        foreach (var (path, methods) in routes)
        {
            foreach (var method in methods.Append("DELETE").Distinct())
            {
                foreach (var (contentType, body) in Bodies)
                {
                    foreach (var key in new[] { null, string.Empty, "wrong-key", Key[..^1], Key.ToUpperInvariant() })
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(method), path);
                        if (method != "GET")
                        {
                            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                            if (contentType is not null)
                            {
                                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                            }
                        }

                        if (key is not null)
                        {
                            request.Headers.Add(AdminApi.KeyHeader, key);
                        }

                        // A new client address each time: this test is about the order of checks, not the rate limit.
                        request.Headers.Add("X-Forwarded-For", Address(next++));
                        var response = await client.SendAsync(request);
                        if (response.StatusCode != HttpStatusCode.Unauthorized)
                        {
                            answers.Add($"{method} {path} {contentType} key={key}: {(int)response.StatusCode}");
                        }
                    }
                }
            }
        }

        Assert.Empty(answers);
    }

    [Fact]
    public async Task WithTheKey_RoutingAndBindingAnswerAsBefore_AfterAuthentication()
    {
        await using var app = new BotApplication(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(AdminApi.KeyHeader, Key);

        var json = await client.PostAsync(new Uri("/api/admin/kpis/actuals", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        var csv = await client.PostAsync(new Uri("/api/admin/kpis/actuals", UriKind.Relative), new StringContent("kpiId,fiscalYear,value,reason,changedBy\nrpa-processes,2026,5,訂正,op", Encoding.UTF8, "text/csv"));
        var badJson = await client.PutAsync(new Uri("/api/admin/kpis/rpa-processes/actuals/2026", UriKind.Relative), new StringContent("{\"value\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
    }

    [Fact]
    public async Task OperationsApi_WithoutAKeyConfigured_Is404()
    {
        await using var app = new BotApplication();

        var response = await app.CreateClient().PostAsync(new Uri("/api/admin/kpis/actuals", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task WrongKeys_FromOneAddress_Get429WithRetryAfter_LoggedOncePerBurst_AndTheRightKeyIsNeverSlowed()
    {
        var sink = new CapturingSink();
        await using var app = new BotApplication(
            new Dictionary<string, string?> { ["Admin:ApiKey"] = Key, ["ReverseProxy:Enabled"] = "true" },
            configureServices: services => services.AddSingleton<ILogEventSink>(sink));
        using var client = app.CreateClient();

        for (var i = 0; i < KeyGuessLimits.Attempts; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetClassesAsync(client, "203.0.113.9", "guess-" + i)).StatusCode);
        }

        app.Clock.Advance(TimeSpan.FromSeconds(20));
        var refused = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            refused.Add(await GetClassesAsync(client, "203.0.113.9", "guess-more-" + i));
        }

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.Equal("40", refused[0].Headers.GetValues("Retry-After").Single());

        // Even the right key from that address, and another address's wrong keys, are answered as usual.
        Assert.Equal(HttpStatusCode.OK, (await GetClassesAsync(client, "203.0.113.9", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetClassesAsync(client, "198.51.100.4", "guess")).StatusCode);

        // One warning for the burst of four, naming the address (behind the proxy: the forwarded one).
        var warning = Assert.Single(sink.Events, IsKeyWarning);
        Assert.Contains("203.0.113.9", warning.RenderMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain(sink.Events, e => e.RenderMessage(CultureInfo.InvariantCulture).Contains("guess", StringComparison.Ordinal));

        // The window over, the address may try again; a new burst is a new warning.
        app.Clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetClassesAsync(client, "203.0.113.9", "guess-again")).StatusCode);
        for (var i = 0; i < KeyGuessLimits.Attempts + 2; i++)
        {
            await GetClassesAsync(client, "203.0.113.9", "burst-two-" + i);
        }

        Assert.Equal(2, sink.Events.Count(IsKeyWarning));
    }

    [Fact]
    public async Task ForwardedAddresses_FromAnUntrustedClient_DoNotEscapeTheLimit()
    {
        await using var app = new BotApplication(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < KeyGuessLimits.Attempts + 1; i++)
        {
            statuses.Add((await GetClassesAsync(client, Address(i), "guess")).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, KeyGuessLimits.Attempts), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task DashboardSignIn_AttemptsShareTheBudget_AndTheSixthIs429_EvenWithTheRightKey()
    {
        await using var app = new BotApplication(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key, ["ReverseProxy:Enabled"] = "true" });
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetClassesAsync(client, "203.0.113.20", "guess")).StatusCode);
        }

        for (var i = 0; i < KeyGuessLimits.Attempts - 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, "203.0.113.20", "guess")).StatusCode);
        }

        var refused = await LoginAsync(client, "203.0.113.20", Key);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("しばらくお待ちください", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains("Set-Cookie"));

        app.Clock.Advance(KeyGuessLimits.Window);
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, "203.0.113.20", Key)).StatusCode);
    }

    [Fact]
    public async Task AnIPv6Client_IsItsSlash64()
    {
        await using var app = new BotApplication(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key, ["ReverseProxy:Enabled"] = "true" });
        using var client = app.CreateClient();

        for (var i = 0; i < KeyGuessLimits.Attempts; i++)
        {
            await GetClassesAsync(client, string.Create(CultureInfo.InvariantCulture, $"2001:db8:1:2::{i + 1:x}"), "guess");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetClassesAsync(client, "2001:db8:1:2:ffff::9", "guess")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetClassesAsync(client, "2001:db8:1:3::1", "guess")).StatusCode);
    }

    private static bool IsKeyWarning(LogEvent e) => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.StartsWith("Operations key:", StringComparison.Ordinal);

    private static string Address(int i) => string.Create(CultureInfo.InvariantCulture, $"198.18.{i / 250}.{(i % 250) + 1}");

    /// <summary>Route parameters filled with something of the right shape.</summary>
    private static string Fill(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "{([^}:]+)(:int)?[^}]*}", m => m.Groups[2].Success ? "2026" : "rpa-processes").TrimEnd('/');

    private static async Task<HttpResponseMessage> GetClassesAsync(HttpClient client, string address, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/classes");
        request.Headers.Add("X-Forwarded-For", address);
        request.Headers.Add(AdminApi.KeyHeader, key);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string address, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = new FormUrlEncodedContent([new("key", key)]) };
        request.Headers.Add("X-Forwarded-For", address);
        return await client.SendAsync(request);
    }

    private sealed class CapturingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> events = new();

        public IReadOnlyList<LogEvent> Events => events.ToList();

        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}

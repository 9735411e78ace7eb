using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Hosting;

/// <summary>Behind nginx the host must see the public scheme and the client's address, but only when told to trust a proxy.</summary>
public sealed class ReverseProxyTests
{
    [Theory]
    [InlineData(true, "https 203.0.113.7 bot.example.jp")]
    [InlineData(false, "http - localhost")]
    public async Task ForwardedHeaders_AreBelieved_OnlyWhenTheReverseProxyIsConfigured(bool enabled, string expected)
    {
        await using var app = new BotApplication(
            new Dictionary<string, string?> { ["ReverseProxy:Enabled"] = enabled ? "true" : "false" },
            configureServices: services => services.AddSingleton<IStartupFilter, EchoRequest>());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo-request");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Host", "bot.example.jp");

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("X-Request-Id")); // the correlation id of the request's log lines
    }

    /// <summary>What the app saw of the request, answered at the end of the host's own pipeline.</summary>
    private sealed class EchoRequest : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(http => http.Response.WriteAsync($"{http.Request.Scheme} {http.Connection.RemoteIpAddress?.ToString() ?? "-"} {http.Request.Host.Host}"));
        };
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Hosting;

/// <summary>The container's HEALTHCHECK: <c>dotnet ShiogamaDx.Bot.dll healthcheck</c>.</summary>
public sealed class HealthProbeTests
{
    [Fact]
    public async Task Healthcheck_AgainstTheRunningHost_ExitsZero_FindingItsPortFromTheEnvironment()
    {
        await using var host = HostProcess.Start();
        await host.WaitHealthyAsync(TimeSpan.FromSeconds(120));

        // As in the container: ASPNETCORE_HTTP_PORTS names the port, the probe adds loopback and /healthz.
        await using var probe = HostProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, null, "healthcheck");
        var exit = await probe.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, probe.Output);
        Assert.Contains($"healthy: http://127.0.0.1:{host.Port}/healthz answered 200", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_WhenNothingListens_ExitsOne()
    {
        using var output = new StringWriter();

        var exit = await HealthProbe.RunAsync(["--url", $"http://127.0.0.1:{FreePort()}/healthz"], new ConfigurationBuilder().Build(), output);

        Assert.Equal(1, exit);
        Assert.Contains("did not answer", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_WhenTheHostAnswersUnhealthy_ExitsOne()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var web = builder.Build();
        web.MapGet("/healthz", () => Results.Text("Unhealthy", statusCode: 503));
        await web.StartAsync();
        using var output = new StringWriter();

        var exit = await HealthProbe.RunAsync(["--url", web.Urls.First() + "/healthz"], new ConfigurationBuilder().Build(), output);

        Assert.Equal(1, exit);
        Assert.Contains("answered 503", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://+:8080", null, "http://127.0.0.1:8080/healthz")]
    [InlineData("https://*:8443;http://0.0.0.0:8081", null, "http://127.0.0.1:8081/healthz")]
    [InlineData("http://[::]:8082", null, "http://127.0.0.1:8082/healthz")]
    [InlineData(null, "8080", "http://127.0.0.1:8080/healthz")]
    [InlineData(null, null, "http://127.0.0.1:5000/healthz")]
    public void LocalHealthUrl_ReadsTheHostsOwnAddress(string? urls, string? httpPorts, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls, ["http_ports"] = httpPorts }).Build();

        Assert.Equal(expected, HealthProbe.LocalHealthUrl(configuration));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

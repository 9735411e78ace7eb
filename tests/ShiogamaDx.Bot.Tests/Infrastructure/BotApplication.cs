using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Tests.Infrastructure;

/// <summary>
/// The real host in-process with its own SQLite file, a fake clock and any settings a test adds.
/// Only what is outside the process is faked (LINE, the connector, the LLM, the clock).
/// </summary>
public sealed class BotApplication : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureServices;

    /// <param name="configureServices">Adds fakes of what is outside the process (e.g. a recipient directory).</param>
    public BotApplication(IDictionary<string, string?>? settings = null, DateTimeOffset? now = null, Action<IServiceCollection>? configureServices = null)
    {
        this.configureServices = configureServices;
        Folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        // FakeTimeProvider expects a UTC instant: with a +09:00 one its GetLocalNow would be nine hours ahead.
        Clock = new FakeTimeProvider((now ?? new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(9))).ToUniversalTime());
        Clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        this.settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(Folder, "bot.db")}",
            ["Privacy:Key"] = "test-privacy-key",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Content:Watch"] = "false", // each watcher holds one of the system's few inotify instances; the reload tests turn it on
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[k] = v;
        }
    }

    public string Folder { get; }

    public FakeTimeProvider Clock { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            configureServices?.Invoke(services);
        });
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);

        // The same start-up steps as RunBotAsync, which WebApplicationFactory does not call.
        host.Services.ValidateDialogs();
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.Migrate(db.Database);
        }

        host.Services.SeedContentAsync().GetAwaiter().GetResult();
        return host;
    }

    /// <summary>Talks to the engine directly, as a channel would, in a fresh scope per turn.</summary>
    public async Task<IReadOnlyList<Reply>> SayAsync(Audience audience, string userKey, string? text, string? postback = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
        var message = new IncomingMessage("test", audience, userKey, userKey, text, postback, Clock.GetUtcNow());
        return await engine.HandleAsync(message, CancellationToken.None);
    }

    /// <summary>
    /// Serves on real Kestrel at 127.0.0.1 on a free port, for a browser or an HttpClient that follows redirects
    /// to another server (an identity provider). Call before anything else uses the application.
    /// </summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public T WithScope<T>(Func<IServiceProvider, T> use)
    {
        using var scope = Services.CreateScope();
        return use(scope.ServiceProvider);
    }

    public override async ValueTask DisposeAsync()
    {
        // Polly's registry waits, on the host's clock, for HTTP calls still in flight (a retry delay) before it is
        // disposed: with the fake clock standing still that wait never ends. Time passes while the host stops.
        var disposing = base.DisposeAsync().AsTask();
        while (!disposing.IsCompleted)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(disposing, Task.Delay(20));
        }

        await disposing;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open on a slow CI machine is left for the OS temp cleaner
        }
    }
}

public static class ReplyText
{
    /// <summary>Everything a person would read, as the terminal renders it, for fragment assertions.</summary>
    public static string Of(IReadOnlyList<Reply> replies) => Cli.TerminalChat.Render(replies);
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ShiogamaDx.Bot.Benchmarks;

/// <summary>
/// The real host on a fresh SQLite database in a temp folder, migrated (and, unless told otherwise, with the bundled
/// content seeded), as the benchmarks that go through the engine or the inbox need it.
/// </summary>
public sealed class BenchmarkHost : IDisposable
{
    private readonly WebApplicationFactory<Program> factory;
    private readonly string folder;

    private BenchmarkHost(WebApplicationFactory<Program> factory, string folder)
    {
        this.factory = factory;
        this.folder = folder;
    }

    public IServiceProvider Services => factory.Services;

    /// <summary>The seeded catalog's search index, as the host's handlers get it.</summary>
    public Procedures.ProcedureIndex Procedures()
    {
        using var scope = Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<Procedures.ProcedureIndexCache>().Get(scope.ServiceProvider.GetRequiredService<Data.BotDbContext>());
    }

    public static BenchmarkHost Start(bool seed = true, params (string Key, string Value)[] settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Benchmark")
                .UseSetting("ConnectionStrings:Bot", $"Data Source={Path.Combine(folder, "bench.db")}")
                .UseSetting("Privacy:Key", "bench")
                .UseSetting("Serilog:MinimumLevel:Default", "Warning");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        using (var scope = factory.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<Data.BotDbContext>().Database.Migrate();
        }

        if (seed)
        {
            Data.ContentSeedingExtensions.SeedContentAsync(factory.Services).GetAwaiter().GetResult();
        }

        return new BenchmarkHost(factory, folder);
    }

    public void Dispose()
    {
        factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}

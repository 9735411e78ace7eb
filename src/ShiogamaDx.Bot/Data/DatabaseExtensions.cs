using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Data;

public static class DatabaseExtensions
{
    public const string DefaultConnectionString = "Data Source=data/shiogama-dx.db";

    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Conversations.OutboxSignals>();
        builder.Services.AddSingleton<Conversations.OutboxCommitInterceptor>();
        var provider = builder.Configuration[$"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Provider)}"] ?? "Sqlite";
        var configured = builder.Configuration.GetConnectionString("Bot");
        if (provider == "PostgreSql")
        {
            AddPostgreSql(builder.Services, configured ?? throw new InvalidOperationException("Database:Provider is PostgreSql but ConnectionStrings:Bot is not set."));
        }
        else
        {
            var connectionString = SqliteConnectionString(configured ?? DefaultConnectionString, builder.DataDirectory());
            builder.Services.AddDbContextPool<BotDbContext>((sp, options) => options
                .UseSqlite(connectionString)
                .ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly, MigrationList>()
                .AddInterceptors(new SqlitePragmas(), sp.GetRequiredService<Conversations.OutboxCommitInterceptor>()));
            builder.Services.AddHostedService(sp => new SqliteCheckpointer(connectionString, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SqliteCheckpointer>>()));
        }

        // Pooled: a context's own services (change tracker, connection, SQL generators) are built once and reused.
        // Built per context they were a good share of the garbage under load, where every webhook batch and every
        // worker step takes one.
        builder.Services.AddWorkLeases();
        builder.Services.AddDataProtectionInDatabase();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    // A method of its own so that Npgsql's assemblies load only on PostgreSQL (the JIT loads what a method names).
    private static void AddPostgreSql(IServiceCollection services, string pg)
    {
        services.AddDbContextPool<BotDbContext, PostgreSqlBotDbContext>((sp, options) => options
            .UseNpgsql(pg)
            .ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly, MigrationList>()
            .AddInterceptors(sp.GetRequiredService<Conversations.OutboxCommitInterceptor>()));
        services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(pg)); // the inbox's per-person advisory locks
        services.AddSingleton<DbDataSource>(sp => sp.GetRequiredService<Npgsql.NpgsqlDataSource>()); // as PersonLocks asks for it
    }

    /// <summary>Creates the folder of the database file, and a busy timeout so concurrent workers wait instead of failing.</summary>
    internal static string SqliteConnectionString(string connectionString, string dataDirectory)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (csb.DataSource is { Length: > 0 } source && source != ":memory:" && !source.StartsWith("file:", StringComparison.Ordinal))
        {
            csb.DataSource = Path.GetFullPath(source, dataDirectory);
            Directory.CreateDirectory(Path.GetDirectoryName(csb.DataSource)!);
        }

        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
        {
            csb.DefaultTimeout = 30; // Microsoft.Data.Sqlite retries SQLITE_BUSY until this many seconds
        }

        return csb.ToString();
    }

    /// <summary>Migrates at start. A database that cannot be written is a clear, fatal error, not a crash later.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        try
        {
            // Replicas starting together need no lock of ours: since EF Core 9 the migrator itself takes one (on
            // PostgreSQL a LOCK TABLE on the history table in the migration's transaction) and rereads what is applied.
            await db.Database.MigrateAsync();
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;"); // persistent: readers never block the writer
            }
        }
        catch (DbException ex) // SqliteException or NpgsqlException, named by their base so that SQLite never loads Npgsql
        {
            throw new DatabaseUnavailableException($"The database {db.Database.GetDbConnection().DataSource} cannot be opened, written or migrated ({ex.Message}). Check the path, its permissions and that it belongs to this version (ConnectionStrings:Bot).", ex);
        }
    }

    /// <summary>
    /// Work every replica must see done once before going on (seeding the content): on PostgreSQL a session-level
    /// advisory lock on <paramref name="db"/>'s connection lets one replica do it while the others wait; the server
    /// lets go of it if the holder dies. SQLite serves one process: the work just runs.
    /// </summary>
    internal static async Task ExclusiveAsync(BotDbContext db, long lockId, Func<Task> work, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            await work();
            return;
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock({0})", [lockId], ct);
            try
            {
                await work();
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock({0})", [lockId], CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Per-connection settings, run once per physical connection: EF opens the pooled connection for every query
    /// and save, and a PRAGMA each time was a measurable share of a LINE event's work under load.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        // cache_size: SQLite keeps a page cache per connection (2 MB by default) and the pool holds ~20 connections
        // under load; the OS caches the same pages once for all of them. wal_autocheckpoint: SqliteCheckpointer's.
        private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-256; PRAGMA wal_autocheckpoint=0;";
        private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = [];
        private static readonly object Marker = new();

        public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData)
        {
            if (IsConfigured(connection))
            {
                return;
            }

            using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            cmd.ExecuteNonQuery();
            MarkConfigured(connection);
        }

        public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (IsConfigured(connection))
            {
                return;
            }

            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            MarkConfigured(connection);
        }

        private static bool IsConfigured(System.Data.Common.DbConnection connection) =>
            connection is SqliteConnection { Handle: { } handle } && Configured.TryGetValue(handle, out _);

        private static void MarkConfigured(System.Data.Common.DbConnection connection)
        {
            if (connection is SqliteConnection { Handle: { } handle })
            {
                Configured.AddOrUpdate(handle, Marker);
            }
        }
    }

    private sealed class DatabaseHealthCheck(BotDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("database unreachable");
    }
}

public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Data;

/// <summary>The engine's storage on a real PostgreSQL server, through the provider's own migrations.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlProviderTests(PostgreSqlServer server)
{
    private async Task<BotApplication> StartAsync() => new(new Dictionary<string, string?>
    {
        ["Database:Provider"] = "PostgreSql",
        ["ConnectionStrings:Bot"] = await server.CreateDatabaseAsync(),
    });

    [SkippableFact]
    public async Task Migrations_ApplyOnPostgreSql_AndTheDialogRuns()
    {
        using var app = await StartAsync();

        await app.SayAsync(Audience.Resident, "r1", "ご意見");
        await app.SayAsync(Audience.Resident, "r1", "2");
        await app.SayAsync(Audience.Resident, "r1", "とても便利です");
        var done = ReplyText.Of(await app.SayAsync(Audience.Resident, "r1", "いいえ"));

        Assert.Contains("受け付けました", done);
        Assert.IsType<PostgreSqlBotDbContext>(app.Services.CreateScope().ServiceProvider.GetRequiredService<BotDbContext>());
        var saved = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Feedback>().AsNoTracking().Single());
        Assert.Equal("とても便利です", saved.Body);
    }

    [SkippableFact]
    public async Task Migrations_FromFourReplicasAtOnceOnAFreshDatabase_AllSucceed()
    {
        // The host migrates at start without a lock of its own (DatabaseExtensions): EF Core's migrator locks the
        // history table and rereads it, so replicas starting together do not apply one migration twice.
        var connectionString = await server.CreateDatabaseAsync();
        var contexts = Enumerable.Range(0, 4)
            .Select(_ => new PostgreSqlBotDbContext(new DbContextOptionsBuilder<PostgreSqlBotDbContext>().UseNpgsql(connectionString).Options))
            .ToList();
        try
        {
            await Task.WhenAll(contexts.Select(db => Task.Run(() => db.Database.MigrateAsync())));

            Assert.Empty(await contexts[0].Database.GetPendingMigrationsAsync());
            Assert.Equal((await contexts[0].Database.GetAppliedMigrationsAsync()).Count(), contexts[0].Database.GetMigrations().Count());
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }

    [SkippableFact]
    public async Task Outbox_DueQuery_ComparesInstantsOnPostgreSql()
    {
        using var app = await StartAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            await outbox.AddAsync("line", "u1", [new TextReply("now")], "k1", CancellationToken.None);
            await outbox.AddAsync("line", "u2", [new TextReply("later")], "k2", CancellationToken.None, app.Clock.GetUtcNow().AddHours(1).ToOffset(TimeSpan.FromHours(9)));
            await scope.ServiceProvider.GetRequiredService<BotDbContext>().SaveChangesAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var due = await scope.ServiceProvider.GetRequiredService<Outbox>().DueAsync("line", 10, CancellationToken.None);
            Assert.Equal("u1", Assert.Single(due).UserKey);
        }
    }

    [SkippableFact]
    public async Task ConcurrentTurns_InOneConversation_StaySerialOnPostgreSql()
    {
        using var app = await StartAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.SayAsync(Audience.Resident, "r1", "ご意見")));

        Assert.Equal(2, replies.Count(r => ReplyText.Of(r).Contains("いったん終わります", StringComparison.Ordinal)));
    }
}

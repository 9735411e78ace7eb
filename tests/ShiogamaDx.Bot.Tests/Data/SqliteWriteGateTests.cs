using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Procedures;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Data;

public sealed class SqliteWriteGateTests
{
    [Fact]
    public async Task WriteTurns_PassInArrivalOrder_ExceptThatUrgentWritersGoFirst()
    {
        var turns = new SqliteWriteGate.WriteTurns();
        await turns.EnterAsync(first: false, TimeSpan.FromSeconds(5), default);

        var order = new List<string>();
        Task Writer(string name, bool urgent) => Task.Run(async () =>
        {
            await turns.EnterAsync(urgent, TimeSpan.FromSeconds(5), default);
            lock (order)
            {
                order.Add(name);
            }

            turns.Exit();
        });

        var a = Writer("worker-1", urgent: false);
        await Task.Delay(100);
        var b = Writer("worker-2", urgent: false);
        await Task.Delay(100);
        var c = Writer("inbox", urgent: true);
        await Task.Delay(100);

        turns.Exit();
        await Task.WhenAll(a, b, c).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["inbox", "worker-1", "worker-2"], order);
    }

    [Fact]
    public async Task UrgentWriters_InAStream_StillLetAWaitingWorkerWrite()
    {
        var turns = new SqliteWriteGate.WriteTurns();
        await turns.EnterAsync(first: false, TimeSpan.FromSeconds(5), default);

        var order = new List<string>();
        Task Writer(string name, bool urgent) => Task.Run(async () =>
        {
            await turns.EnterAsync(urgent, TimeSpan.FromSeconds(5), default);
            lock (order)
            {
                order.Add(name);
            }

            turns.Exit();
        });

        var writers = new List<Task> { Writer("worker", urgent: false) };
        await Task.Delay(100);
        for (var i = 0; i < 10; i++)
        {
            writers.Add(Writer("inbox-" + i, urgent: true));
            await Task.Delay(20);
        }

        turns.Exit();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(5));

        // Webhooks go first, but a steady stream of them lets the worker through after a few.
        Assert.Equal(SqliteWriteGate.WriteTurns.UrgentInARow, order.IndexOf("worker"));
    }

    [Fact]
    public async Task AWriterThatWaitsTooLong_GetsAClearError_AndTheNextOneStillGetsItsTurn()
    {
        var turns = new SqliteWriteGate.WriteTurns();
        await turns.EnterAsync(first: false, TimeSpan.FromSeconds(5), default);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => turns.EnterAsync(first: true, TimeSpan.FromMilliseconds(100), default));
        Assert.Contains("No turn to write to the database", error.Message, StringComparison.Ordinal);

        var next = turns.EnterAsync(first: false, TimeSpan.FromSeconds(5), default);
        turns.Exit();
        await next.WaitAsync(TimeSpan.FromSeconds(5)); // the gave-up writer left the queue: the turn is not lost
        turns.Exit();
        await turns.EnterAsync(first: false, TimeSpan.FromMilliseconds(100), default); // and free again after
    }

    [Fact]
    public async Task ParallelCounts_ThroughEfCore_AreNeitherLostNorTimedOut()
    {
        using var app = new BotApplication();
        var services = app.Services; // the host starts once, before the writers
        var month = new DateOnly(2026, 11, 1);

        // Twenty writers at once, each a read-modify-write transaction and an autocommit upsert.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            using var first = i % 5 == 0 ? db.WriteFirst() : null;
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "ProcedureDemand" ("ProcedureId", "Month", "Asked") VALUES ('gate-test', {month}, 1) ON CONFLICT ("ProcedureId", "Month") DO UPDATE SET "Asked" = "ProcedureDemand"."Asked" + 1""");
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Add(new ProcedureFeedback { ProcedureId = "gate-test-" + i, Helpful = 1 });
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        })));

        await using var check = app.Services.CreateAsyncScope();
        var read = check.ServiceProvider.GetRequiredService<BotDbContext>();
        Assert.Equal(20, (await read.Set<ProcedureDemand>().SingleAsync(d => d.ProcedureId == "gate-test")).Asked);
        Assert.Equal(20, await read.Set<ProcedureFeedback>().CountAsync(f => f.ProcedureId.StartsWith("gate-test-")));
    }

    [Fact]
    public async Task AWriteThatEndsBadly_NeverKeepsTheGate()
    {
        using var app = new BotApplication();
        var services = app.Services;

        // A transaction left without commit or rollback (an early return), then a statement that fails.
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Add(new ProcedureFeedback { ProcedureId = "left-open" });
            await db.SaveChangesAsync();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "ProcedureFeedback" ("ProcedureId", "Helpful", "NotHelpful") VALUES ('twice', 0, 0)""");
            await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
                db.Database.ExecuteSqlRawAsync("""INSERT INTO "ProcedureFeedback" ("ProcedureId", "Helpful", "NotHelpful") VALUES ('twice', 0, 0)"""));
        }

        // The next writer gets its turn at once (a kept gate would make it wait 30 s and fail).
        await using var check = services.CreateAsyncScope();
        var read = check.ServiceProvider.GetRequiredService<BotDbContext>();
        read.Add(new ProcedureFeedback { ProcedureId = "after" });
        await read.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(await read.Set<ProcedureFeedback>().AnyAsync(f => f.ProcedureId == "left-open")); // rolled back
    }
}

using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Tests.Line;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Inbox;

/// <summary>
/// How many statements a returning resident's message costs the database, from the webhook to the finished event:
/// every one is a round trip and most of an answer's CPU (docs/performance.md), so a feature that adds one to every
/// turn shows here, with the statements printed.
/// </summary>
public sealed class RoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AReturningResidentsMessage_CostsFewStatements()
    {
        var statements = new StatementLog();
        await using var host = await LineTestHost.StartAsync(services: s => s.ConfigureDbContext<BotDbContext>(o => o.AddInterceptors(statements)));

        await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.WhenSettledAsync();
        statements.Clear();

        await host.SendAsync(LineEvents.Text("メニュー", host.Now));
        await host.WhenSettledAsync();

        // From the webhook's insert: the round after the first message may still be running when it settled.
        var seen = statements.Texts().SkipWhile(s => !s.StartsWith("INSERT INTO \"Inbox\"", StringComparison.Ordinal)).ToList();
        output.WriteLine(string.Join("\n---\n", seen));
        Assert.Equal(2, host.Fake.Replies.Count(r => r.Status == 200));

        // The turn: dialog state, offers, open handoff case, kept language, handoff streak. Six before the open
        // disaster period was kept for a second per process; each one added here costs every resident's message.
        var turn = seen.Where(s => !s.Contains("\"Inbox\"", StringComparison.Ordinal)).ToList();
        Assert.True(turn.Count <= 5, $"{turn.Count} statements in the turn:\n{string.Join("\n---\n", turn)}");

        // The inbox: the webhook's insert, the item read by id, the staged answer and the finish.
        Assert.Single(seen, s => s.StartsWith("INSERT INTO \"Inbox\"", StringComparison.Ordinal));
        Assert.Equal(2, seen.Count(s => s.StartsWith("UPDATE \"Inbox\"", StringComparison.Ordinal)));
        Assert.True(seen.Count <= 10, $"{seen.Count} statements:\n{string.Join("\n---\n", seen)}");
    }

    private sealed class StatementLog : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> texts = new();

        public void Clear() => texts.Clear();

        public List<string> Texts() => [.. texts];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            texts.Enqueue(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            texts.Enqueue(command.CommandText);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            texts.Enqueue(command.CommandText);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}

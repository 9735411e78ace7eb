using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Data;

/// <summary>
/// The host's commits leave the write-ahead log to the background checkpointer: a commit that fills the log past
/// SQLite's 1,000 pages does not copy it into the database file itself (and so does not wait for the fsyncs), and the
/// next round of the checkpointer does.
/// </summary>
public sealed class SqliteCheckpointerTests
{
    [Fact]
    public async Task ALargeCommit_StaysInTheLog_UntilTheCheckpointersNextRound()
    {
        using var app = new BotApplication();
        var file = Path.Combine(app.Folder, "bot.db");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();

            // Held open for the whole test: SQLite copies the log into the file when the last connection to it closes,
            // and another test host's disposal closes every idle pooled connection of the process (ClearAllPools).
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE scratch (v BLOB NOT NULL);");
            var before = new FileInfo(file).Length;

            // About 1,600 pages of 4 KB in one commit: past the 1,000 at which a connection would checkpoint itself.
            await db.Database.ExecuteSqlRawAsync(
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000) INSERT INTO scratch SELECT randomblob(2000) FROM n;");

            // The fake clock has not moved, so no round has run: the rows are in the log only. (The file is compared
            // with the commit's size, not with its own size before: what the start wrote may be copied at any time.)
            Assert.True(new FileInfo(file).Length < before + 5_000_000L);
            Assert.True(new FileInfo(file + "-wal").Length > 5_000_000L);

            await WaitForRoundAsync(app, () => new FileInfo(file).Length > before + 5_000_000L);
        }
    }

    /// <summary>
    /// Moves the clock one interval at a time until the condition holds: the checkpointer's timer is created on the
    /// thread pool after the host has started, so under load a single move of the clock can come before it exists.
    /// </summary>
    private static async Task WaitForRoundAsync(BotApplication app, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the checkpointer did not copy the log within 30 s");
            app.Clock.Advance(SqliteCheckpointer.Interval);
            await Task.Delay(50);
        }
    }
}

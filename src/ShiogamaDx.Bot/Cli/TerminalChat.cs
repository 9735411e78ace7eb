using System.Text;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Cli;

/// <summary>
/// The local channel: the same engine as LINE and the staff chat, in a terminal. Choices are numbered and
/// answered by typing the number or the label, as on every channel.
/// </summary>
public static class TerminalChat
{
    /// <param name="asNewPerson">Talk as someone the bot has never met (<c>--new</c>): earlier registrations and answers stay with the earlier person.</param>
    public static async Task<int> RunAsync(IServiceProvider services, Audience audience, TextReader input, TextWriter output, CancellationToken ct, bool asNewPerson = false)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        var userKey = "terminal-" + (audience == Audience.Staff ? "staff" : "resident") + (asNewPerson ? "-" + Guid.NewGuid().ToString("N") : string.Empty);
        await output.WriteLineAsync($"塩竈市DXチャットボット（{(audience == Audience.Staff ? "職員" : "市民")}として）。終わるときは Ctrl+D か「exit」。");

        // Handoff between two terminals on one database: this one is a side of it, and prints what the other side sends.
        services.GetRequiredService<Handoff.TerminalDesk>().On = true;
        using var writing = new SemaphoreSlim(1, 1);
        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var polling = PollOutboxAsync(services, userKey, output, writing, stopPolling.Token);
        try
        {
            await TalkAsync(services, audience, userKey, input, output, writing, ct);
        }
        finally
        {
            await stopPolling.CancelAsync();
            await polling;
        }

        // The server flushes what residents asked for every few seconds; a terminal session ends before that.
        await services.GetRequiredService<Procedures.ProcedureDemandCounter>().FlushAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>How often a terminal looks for messages the other side of a handoff sent it.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private static async Task TalkAsync(IServiceProvider services, Audience audience, string userKey, TextReader input, TextWriter output, SemaphoreSlim writing, CancellationToken ct)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            string? line;
            if (first)
            {
                line = "メニュー";
                first = false;
            }
            else
            {
                await WriteAsync(output, writing, "> ", newLine: false);
                line = await input.ReadLineAsync(ct);
                if (line is null || line.Trim() is "exit" or "quit")
                {
                    break;
                }
            }

            await using var scope = services.CreateAsyncScope();
            var engine = scope.ServiceProvider.GetRequiredService<ConversationEngine>();
            var message = IncomingMessage.FromText("terminal", audience, userKey, line, clock.GetUtcNow());
            IReadOnlyList<Reply> replies;
            try
            {
                replies = await engine.HandleAsync(message, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                replies = await engine.ApologyAsync(message, save: true, ct); // a resident's in their language, with the menu a number picks
                await Console.Error.WriteLineAsync(ex.Message);
            }

            if (Render(replies) is { Length: > 0 } rendered)
            {
                await WriteAsync(output, writing, rendered); // nothing when a handoff carries the words to the other side
            }
        }
    }

    /// <summary>
    /// The terminal's outbox: messages of a handoff addressed to this terminal's person (channel <c>terminal</c>),
    /// printed once and marked sent, their choices kept so that a typed number answers them.
    /// </summary>
    private static async Task PollOutboxAsync(IServiceProvider services, string userKey, TextWriter output, SemaphoreSlim writing, CancellationToken ct)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<Data.BotDbContext>();
                var due = await db.Set<OutboxMessage>()
                    .Where(m => m.Channel == Handoff.HandoffDesk.Terminal && m.UserKey == userKey && m.SentAt == null && m.FailedAt == null)
                    .OrderBy(m => m.Id).Take(20).ToListAsync(ct);
                foreach (var message in due)
                {
                    var replies = message.Replies;
                    if (Offers.From(replies) is { Count: > 0 } offers)
                    {
                        // Kept only when it offers something: a message of the other side must not drop the choices on screen.
                        using (await scope.ServiceProvider.GetRequiredService<ConversationLocks>().AcquireAsync(userKey, ct))
                        {
                            await scope.ServiceProvider.GetRequiredService<ConversationStore>().SaveOffersAsync(userKey, offers, ct);
                        }
                    }

                    await WriteAsync(output, writing, Environment.NewLine + Render(replies) + Environment.NewLine + "> ", newLine: false);
                    message.SentAt = clock.GetUtcNow();
                    await db.SaveChangesAsync(ct);
                }

                await Task.Delay(PollInterval, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or DbUpdateException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync(ex.Message); // the other terminal holds the database for a moment: again next round
            }
        }
    }

    private static async Task WriteAsync(TextWriter output, SemaphoreSlim writing, string text, bool newLine = true)
    {
        await writing.WaitAsync();
        try
        {
            await (newLine ? output.WriteLineAsync(text) : output.WriteAsync(text));
            await output.FlushAsync();
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>Plain text with numbered options, numbered exactly as <see cref="Offers.From"/> numbers them.</summary>
    public static string Render(IReadOnlyList<Reply> replies)
    {
        var sb = new StringBuilder();
        var number = 1;
        foreach (var reply in replies)
        {
            switch (reply)
            {
                case TextReply t:
                    sb.AppendLine(t.Text);
                    break;
                case PassagesReply p:
                    sb.AppendJoin(Environment.NewLine + Environment.NewLine, p.Passages).AppendLine();
                    break;
                case ChoicesReply c:
                    sb.AppendLine(c.Prompt);
                    foreach (var choice in c.Choices)
                    {
                        sb.Append("  ").Append(number++).Append(". ").AppendLine(choice.Label);
                    }

                    break;
                case CardsReply cards:
                    foreach (var card in cards.Cards)
                    {
                        sb.Append('【').Append(card.Title).AppendLine("】");
                        if (card.Subtitle is not null)
                        {
                            sb.AppendLine(card.Subtitle);
                        }

                        sb.AppendLine(card.Body);
                        foreach (var action in card.Actions)
                        {
                            if (action.Kind == CardActionKind.Link)
                            {
                                sb.Append("  → ").Append(action.Label).Append(": ").AppendLine(action.Value);
                            }
                            else
                            {
                                sb.Append("  ").Append(number++).Append(". ").AppendLine(action.Label);
                            }
                        }
                    }

                    break;
                case TableReply table:
                    sb.AppendLine(table.Title);
                    sb.AppendLine(string.Join(" | ", table.Headers));
                    foreach (var row in table.Rows)
                    {
                        sb.AppendLine(string.Join(" | ", row));
                    }

                    if (table.Note is not null)
                    {
                        sb.AppendLine(table.Note);
                    }

                    break;
                case ImageReply image:
                    sb.Append("[画像] ").Append(image.AltText).Append(' ').AppendLine(image.Url.ToString());
                    break;
                default:
                    break;
            }
        }

        return sb.ToString().TrimEnd();
    }
}

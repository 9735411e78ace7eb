using System.Text;
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
                await output.WriteAsync("> ");
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
                replies = [ConversationEngine.Apology];
                await Console.Error.WriteLineAsync(ex.Message);
            }

            await output.WriteLineAsync(Render(replies));
        }

        // The server flushes what residents asked for every few seconds; a terminal session ends before that.
        await services.GetRequiredService<Procedures.ProcedureDemandCounter>().FlushAsync(CancellationToken.None);
        return 0;
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

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Guides;
using ShiogamaDx.Bot.Procedures;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Procedures;

public sealed partial class EvaluationTests
{
    /// <summary>
    /// The residents' probe (resident-probe.tsv, a dev set committed before the tenth residents' pass changed
    /// anything), asked of the real host's engine, one new person a question, and judged from what the person reads:
    /// the first procedure shown, the class feature, a guide, or the not-understood answer; and the facts the reply
    /// must hold. Figures: docs/evaluation.md ("Residents, tenth pass").
    /// </summary>
    [Fact]
    public async Task ProbeQuestions_ThroughTheEngine_AreReported()
    {
        var (right, count) = await RunProbeAsync("resident-probe.tsv");

        // Measured 24/40 when committed (91312db), 35/40 after the tenth pass (b625a8c), 34/39 with the one question that
        // stood in content retired: the floor only catches a regression.
        Assert.True(right >= 0.8 * count, $"resident probe: {right}/{count}, under the 80% floor");
    }

    /// <summary>
    /// The second residents' probe (resident-probe2.tsv, a dev set committed before the twelfth session's residents'
    /// pass changed anything, 8b9c6aa), asked and judged as the first. Figures: docs/evaluation.md.
    /// </summary>
    [Fact]
    public async Task SecondProbeQuestions_ThroughTheEngine_AreReported()
    {
        var (right, count) = await RunProbeAsync("resident-probe2.tsv");

        // The floor only catches a regression.
        Assert.True(right >= 0.7 * count, $"resident probe 2: {right}/{count}, under the 70% floor");
    }

    /// <summary>
    /// The third residents' probe (resident-probe3.tsv, a dev set committed before the thirteenth session's residents'
    /// pass changed anything: casual, hiragana and older people's polite questions, 7 of 44 not covered), asked and
    /// judged as the first. Figures: docs/evaluation.md.
    /// </summary>
    [Fact]
    public async Task ThirdProbeQuestions_ThroughTheEngine_AreReported()
    {
        var (right, count) = await RunProbeAsync("resident-probe3.tsv");

        // The floor only catches a regression.
        Assert.True(right >= 0.6 * count, $"resident probe 3: {right}/{count}, under the 60% floor");
    }

    /// <summary>
    /// The fourth residents' probe (resident-probe4.tsv, a dev set committed before the fourteenth session's residents'
    /// pass changed anything: older residents' hiragana, dialect, typos and long sentences over procedures no earlier
    /// probe asked, 9 of 66 not covered), asked and judged as the first. Figures: docs/evaluation.md.
    /// </summary>
    [Fact]
    public async Task FourthProbeQuestions_ThroughTheEngine_AreReported()
    {
        var (right, count) = await RunProbeAsync("resident-probe4.tsv");

        // The floor only catches a regression; raised only to a measured figure.
        Assert.True(right >= 0.5 * count, $"resident probe 4: {right}/{count}, under the 50% floor");
    }

    internal async Task<(int Right, int Count)> RunProbeAsync(string file, bool printMisses = true)
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Procedures", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .Select(r => (Question: r[0], Expected: r[1].Trim().Split('|').Select(e => e == "none" ? "-" : e).ToArray(), Facts: r.Length > 2 && r[2].Trim().Length > 0 ? r[2].Trim().Split(" & ") : []))
            .ToList();
        Assert.True(rows.Count >= 30, $"the probe set {file} has {rows.Count} questions");

        using var app = new BotApplication();
        var names = app.WithScope(sp => sp.GetRequiredService<ProcedureIndexCache>().Get(sp.GetRequiredService<BotDbContext>()).Procedures.ToDictionary(p => p.Name, p => p.Id));
        var guides = app.WithScope(sp => sp.GetRequiredService<GuideCatalog>().Current.Guides.ToDictionary(g => g.Title, g => g.Id));
        var notUnderstood = app.WithScope(sp => sp.GetRequiredService<DialogCatalog>().Menus.Resident.NotUnderstood);
        var right = 0;
        var misses = new List<string>();
        var byKind = new Dictionary<string, (int Right, int Count)>();
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            var user = $"probe-{i}";
            var replies = await app.SayAsync(Audience.Resident, user, row.Question);
            var text = ReplyText.Of(replies);
            var unanswered = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<UnansweredQuestion>().AsNoTracking().Any(q => q.UserKey == user));
            var got = Judge(replies, names, guides, unanswered || text.Contains(notUnderstood, StringComparison.Ordinal));
            var lacking = row.Facts.Where(f => !text.Contains(f, StringComparison.Ordinal)).ToList();
            var kind = row.Expected[0] switch { "-" => "not covered", "classes" => "スマホ教室", var e when e.StartsWith("guide:", StringComparison.Ordinal) => "guides", _ => "procedures" };
            var ok = row.Expected.Contains(got) && lacking.Count == 0;
            var (kindRight, kindCount) = byKind.GetValueOrDefault(kind);
            byKind[kind] = (kindRight + (ok ? 1 : 0), kindCount + 1);
            if (ok)
            {
                right++;
            }
            else
            {
                var head = text.ReplaceLineEndings(" ");
                misses.Add($"MISS  {row.Question}  expected {string.Join("|", row.Expected)}, got {got}{(lacking.Count > 0 ? " lacking " + string.Join(", ", lacking) : string.Empty)}: {(head.Length <= 70 ? head : head[..70] + "…")}");
            }
        }

        output.WriteLine($"{file} ({(printMisses ? "dev" : "held out")}, engine): right {right}/{rows.Count} = {(double)right / rows.Count:P1} ({string.Join(", ", byKind.Select(k => $"{k.Key} {k.Value.Right}/{k.Value.Count}"))})");
        if (printMisses)
        {
            misses.ForEach(output.WriteLine);
        }
        else
        {
            output.WriteLine("(held out: misses not printed)");
        }
        return (right, rows.Count);
    }

    private static string Judge(IReadOnlyList<Reply> replies, Dictionary<string, string> procedures, Dictionary<string, string> guides, bool notUnderstood)
    {
        var postbacks = replies.SelectMany(r => r switch
        {
            ChoicesReply c => c.Choices.Select(choice => choice.Value),
            CardsReply c => c.Cards.SelectMany(card => card.Actions).Where(a => a.Kind == CardActionKind.Postback).Select(a => (string?)a.Value),
            _ => [],
        }).Select(Args).OfType<Dictionary<string, string>>().ToList();
        var texts = replies.OfType<TextReply>().Select(t => t.Text).ToList();

        // A guide's answer may list procedures with buttons (書かない窓口): the resident reads the guide first.
        if (texts.FirstOrDefault() is { } first && guides.FirstOrDefault(g => first.StartsWith($"【{g.Key}】", StringComparison.Ordinal)).Value is { } leading)
        {
            return "guide:" + leading;
        }

        if (postbacks.FirstOrDefault(p => p.GetValueOrDefault("h") == "procedures" && p.ContainsKey("id")) is { } card)
        {
            return card["id"];
        }

        if (texts.Select(t => procedures.FirstOrDefault(n => t.StartsWith($"【{n.Key}】", StringComparison.Ordinal)).Value).FirstOrDefault(id => id is not null) is { } named)
        {
            return named;
        }

        if (postbacks.Any(p => p.GetValueOrDefault("h") == "classes" || (p.GetValueOrDefault("h") == DialogRuntime.PostbackHandler && p.GetValueOrDefault("d", string.Empty).StartsWith("class-", StringComparison.Ordinal)))
            || replies.OfType<CardsReply>().Any(c => c.AltText.Contains("スマホ教室", StringComparison.Ordinal))
            || texts.Any(t => t.Contains("スマホ教室はありません", StringComparison.Ordinal)))
        {
            return "classes";
        }

        if (texts.Select(t => guides.FirstOrDefault(g => t.StartsWith($"【{g.Key}】", StringComparison.Ordinal)).Value).FirstOrDefault(id => id is not null) is { } guide)
        {
            return "guide:" + guide;
        }

        return notUnderstood ? "-" : replies.Count > 0 ? "other" : "no reply";
    }

    private static Dictionary<string, string>? Args(string? data) =>
        data is null || !data.StartsWith("h=", StringComparison.Ordinal)
            ? null
            : data.Split('&').Select(pair => pair.Split('=', 2)).Where(kv => kv.Length == 2)
                .GroupBy(kv => Uri.UnescapeDataString(kv[0])).ToDictionary(g => g.Key, g => Uri.UnescapeDataString(g.First()[1]));
}

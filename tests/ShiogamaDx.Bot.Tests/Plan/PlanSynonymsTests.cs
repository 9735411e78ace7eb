using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Plan;

/// <summary>
/// The plan's own synonym file (Content/plan/shiogama-dx-plan-r8.synonyms.txt): staff's everyday words for the plan's
/// terms, read with the plan for its sections only. Each test compares the bundled folder with a copy of the plan alone.
/// </summary>
public sealed class PlanSynonymsTests : IDisposable
{
    private const string SynonymsFile = "shiogama-dx-plan-r8.synonyms.txt";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-plan-synonyms", Guid.NewGuid().ToString("N"));

    public PlanSynonymsTests()
    {
        Directory.CreateDirectory(folder);
        File.Copy(RepoPaths.PlanFile, Path.Combine(folder, Path.GetFileName(RepoPaths.PlanFile)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open; the temp folder is cleaned by the system
        }
    }

    [Theory]
    // ハンコ is staff's word for the plan's 公印の押印 (施策③ 事務のデジタル化); the plan never writes it.
    [InlineData("ハンコをなくす取組はある？", "施策③ 事務のデジタル化")]
    // 外部アドバイザー: the plan's CIO補佐官 (技術導入の助言等を行う), of 7. 推進体制.
    [InlineData("DX推進に外部アドバイザーは置く？", "推進体制")]
    public async Task AQuestionInStaffsWords_FindsTheSectionOfThePlansTerm_ThroughTheSynonymFile(string question, string section)
    {
        await using var bundled = new BotApplication();
        await using var planAlone = new BotApplication(new Dictionary<string, string?> { ["Plan:Path"] = folder });

        var withFile = ReplyText.Of(await bundled.SayAsync(Audience.Staff, "plan-synonyms", question));
        var without = ReplyText.Of(await planAlone.SayAsync(Audience.Staff, "plan-synonyms", question));

        Assert.Contains(section, Citation(withFile), StringComparison.Ordinal);
        Assert.DoesNotContain(section, Citation(without), StringComparison.Ordinal);
    }

    [Theory]
    // The plan's own terms, each the first word of a group: the file is not read for them, so the answer is the one
    // without it (read as the group, コンパクトシティ was one concept instead of two and matched no term of the index).
    [InlineData("コンパクトシティとはどんな考え方？")]
    [InlineData("OODAループとは？")]
    public async Task AQuestionInThePlansOwnTerms_IsAnsweredAsWithoutTheFile(string question)
    {
        await using var bundled = new BotApplication();
        await using var planAlone = new BotApplication(new Dictionary<string, string?> { ["Plan:Path"] = folder });

        var withFile = ReplyText.Of(await bundled.SayAsync(Audience.Staff, "plan-own-terms", question));
        var without = ReplyText.Of(await planAlone.SayAsync(Audience.Staff, "plan-own-terms", question));

        Assert.StartsWith("用語集", Citation(without), StringComparison.Ordinal);
        Assert.Equal(without, withFile);
    }

    [Fact]
    public async Task ABrokenSynonymFile_IsNamedWithItsLineInTheLog_AndThePlanStillAnswers()
    {
        await File.WriteAllTextAsync(Path.Combine(folder, SynonymsFile), "# the office's groups\n押印, ハンコ\nひとつだけ\n");
        var sink = new CapturingSink();
        await using var app = new BotApplication(
            new Dictionary<string, string?> { ["Plan:Path"] = folder },
            configureServices: services => services.AddSingleton<ILogEventSink>(sink));

        var text = ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-broken-synonyms", "このプランの計画期間は？"));

        Assert.Contains("計画期間", Citation(text), StringComparison.Ordinal);
        var warning = Assert.Single(sink.Events, e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.StartsWith("Plan synonyms file", StringComparison.Ordinal));
        Assert.Contains($"{SynonymsFile}:3:", warning.RenderMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        // The file is skipped whole: its good line does not apply either.
        Assert.DoesNotContain("事務のデジタル化", Citation(ReplyText.Of(await app.SayAsync(Audience.Staff, "plan-broken-synonyms-2", "ハンコをなくす取組はある？"))), StringComparison.Ordinal);
    }

    [Theory]
    // Words of the plan's groups (生成AI, 個人情報 … ChatGPT, 研修) in questions the guideline answers: its citation stays.
    [InlineData("ChatGPTに市民の住所を入力してもいい？")]
    [InlineData("生成AIの研修はいつ受ければいい？")]
    public async Task ThePlansSynonyms_DoNotChangeTheGuidelinesAnswers(string question)
    {
        await using var bundled = new BotApplication();
        await using var planAlone = new BotApplication(new Dictionary<string, string?> { ["Plan:Path"] = folder });

        var withFile = ReplyText.Of(await bundled.SayAsync(Audience.Staff, "guideline-question", question));
        var without = ReplyText.Of(await planAlone.SayAsync(Audience.Staff, "guideline-question", question));

        Assert.Contains("出典: 生成AI利用の手引き", withFile, StringComparison.Ordinal);
        Assert.Equal(Citations(without), Citations(withFile));
    }

    private static string Citation(string text) =>
        text.Split('\n').Select(l => l.IndexOf("出典: 塩竈市DX推進プラン ", StringComparison.Ordinal) is var at and >= 0 ? l[(at + "出典: 塩竈市DX推進プラン ".Length)..] : null).FirstOrDefault(l => l is not null) ?? "(none) " + text;

    private static List<string> Citations(string text) => [.. text.Split('\n').Where(l => l.Contains("出典", StringComparison.Ordinal))];

    private sealed class CapturingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> events = new();

        public IReadOnlyList<LogEvent> Events => events.ToList();

        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Surveys;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Messages;

/// <summary>A running host takes the office's edits without a restart, and only when they pass the check.</summary>
public sealed class ContentReloadTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "reload-" + Guid.NewGuid().ToString("N"));
    private const string Editor = "office-editor-1";
    private readonly BotApplication app;

    public ContentReloadTests()
    {
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "Content"), Path.Combine(folder, "Content"));
        CopyFolder(RepoPaths.Dialogs, Path.Combine(folder, "dialogs"));
        app = new BotApplication(new Dictionary<string, string?>
        {
            ["Content:Path"] = Path.Combine(folder, "Content"),
            ["Dialogs:Path"] = Path.Combine(folder, "dialogs"),
            ["Content:Watch"] = "true",
            ["Content:Editors:0"] = Editor,
        });
    }

    private ContentReloader Reloader => app.Services.GetRequiredService<ContentReloader>();

    public void Dispose()
    {
        app.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task EditedWordingDialogAndCatalog_AreUsedWithoutARestart()
    {
        var before = ReplyText.Of(await app.SayAsync(Audience.Resident, "r1", "住民票をオンラインで請求したい"));
        Assert.Contains("電子申請で請求し、手数料をオンラインで払うと郵送で届きます。", before, StringComparison.Ordinal);

        await EditAndWaitAsync(() =>
        {
            Edit("Content/messages.yaml", "choose-one: \"{choices}から選ぶか、番号でお答えください。\"", "choose-one: \"{choices}のどれかを選んでください。\"");
            Edit("dialogs/resident-feedback.yaml", "どのようなことについてのご意見ですか。", "ご意見の分野を選んでください。");
            Edit("Content/procedures.yaml", "電子申請で請求し、手数料をオンラインで払うと郵送で届きます。", "電子申請で請求すると、三日ほどで郵送で届きます。");
        });

        Assert.Empty(Reloader.LastProblems);
        var prompt = ReplyText.Of(await app.SayAsync(Audience.Resident, "r2", "ご意見"));
        var retry = ReplyText.Of(await app.SayAsync(Audience.Resident, "r2", "晴れ"));
        var procedure = ReplyText.Of(await app.SayAsync(Audience.Resident, "r3", "住民票をオンラインで請求したい"));
        Assert.Contains("ご意見の分野を選んでください。", prompt, StringComparison.Ordinal);
        Assert.Contains("「このLINEの使い方」「オンライン手続き」「スマホ教室」「その他」のどれかを選んでください。", retry, StringComparison.Ordinal);
        Assert.Contains("電子申請で請求すると、三日ほどで郵送で届きます。", procedure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditedPlan_KpisYaml_IsUsedWithoutARestart_ItsFiguresAndItsWords()
    {
        var before = ReplyText.Of(await app.SayAsync(Audience.Staff, "s1", "RPAの稼働業務数の令和9年度の目標は？"));
        Assert.Contains("5業務", before, StringComparison.Ordinal);

        await EditAndWaitAsync(() => Edit("Content/kpis.yaml",
            "aliases: [RPA, ロボット, 自動化, アールピーエー]\n    budget: { R7: 2591, R8: 1320 }\n    kpis:\n      - id: rpa-processes\n        name: 稼働業務数\n        unit: 業務\n        aliases: [稼働業務数, 稼働業務, 業務数, 稼働数]\n        years:\n          R7: { target: 4, actual: 3 }\n          R8: { target: 4 }\n          R9: { target: 5 }",
            "aliases: [RPA, ロボット, 自動化, アールピーエー, 定型作業ロボ]\n    budget: { R7: 2591, R8: 1320 }\n    kpis:\n      - id: rpa-processes\n        name: 稼働業務数\n        unit: 業務\n        aliases: [稼働業務数, 稼働業務, 業務数, 稼働数]\n        years:\n          R7: { target: 4, actual: 3 }\n          R8: { target: 4 }\n          R9: { target: 9 }"));

        Assert.Empty(Reloader.LastProblems);
        var figure = ReplyText.Of(await app.SayAsync(Audience.Staff, "s2", "RPAの稼働業務数の令和9年度の目標は？"));
        var word = ReplyText.Of(await app.SayAsync(Audience.Staff, "s3", "定型作業ロボの稼働業務数の令和9年度の目標は？"));
        Assert.Contains("9業務", figure, StringComparison.Ordinal);
        Assert.DoesNotContain("5業務", figure, StringComparison.Ordinal);
        Assert.Contains("9業務", word, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATrainingAddedToTrainingsYaml_IsThereWithoutARestart_AndNothingElseChanges()
    {
        int Count() => app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Training>().Count());
        var before = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Training>().AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.Id, t.Title, t.HeldOn }).ToList());
        Assert.NotEmpty(before);

        await EditAndWaitAsync(() => File.AppendAllText(Path.Combine(folder, "Content", "trainings.yaml"),
            "  - title: 文書管理システム研修\n    kind: digital-tools\n    heldOn: 2026-12-10\n    audience: 各課の庶務担当\n"));

        Assert.Empty(Reloader.LastProblems);
        Assert.Equal(before.Count + 1, Count());
        var added = app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Training>().AsNoTracking().Single(t => t.Title == "文書管理システム研修"));
        Assert.Equal((new DateOnly(2026, 12, 10), "digital-tools", false), (added.HeldOn, added.Kind, added.IsSample));
        Assert.Equal(before, app.WithScope(sp => sp.GetRequiredService<BotDbContext>().Set<Training>().AsNoTracking().Where(t => t.Title != "文書管理システム研修").OrderBy(t => t.Id).Select(t => new { t.Id, t.Title, t.HeldOn }).ToList()));

        // A broken date is refused with its line; the trainings stay as they were.
        await EditAndWaitAsync(() => File.AppendAllText(Path.Combine(folder, "Content", "trainings.yaml"),
            "  - title: 日付のない研修\n    kind: excel\n    heldOn: 12月20日\n"));
        var problem = Assert.Single(Reloader.LastProblems);
        Assert.EndsWith("trainings.yaml", problem.File, StringComparison.Ordinal);
        Assert.Contains("heldOn '12月20日' is not a date", problem.Reason, StringComparison.Ordinal);
        Assert.Equal(before.Count + 1, Count());
    }

    [Fact]
    public async Task ABrokenEdit_KeepsTheLastGoodContent_AndSaysWhere()
    {
        await EditAndWaitAsync(() =>
        {
            Edit("Content/messages.yaml", "choose-one: \"{choices}から選ぶか、番号でお答えください。\"", "choose-one: \"{choice}のどれかを選んでください。\"");
            Edit("dialogs/resident-feedback.yaml", "どのようなことについてのご意見ですか。", "ご意見の分野を選んでください。");
        });

        var problem = Assert.Single(Reloader.LastProblems);
        Assert.Equal(Path.Combine(folder, "Content", "messages.yaml"), problem.File);
        Assert.Equal(LineOf("Content/messages.yaml", "choose-one:"), problem.Line);
        Assert.Contains("{choice} is not filled by the host", problem.Reason, StringComparison.Ordinal);
        var told = Assert.Single(await ToldEditorAsync());
        Assert.Contains($"Content{Path.DirectorySeparatorChar}messages.yaml {problem.Line}行目: {problem.Reason}", told, StringComparison.Ordinal);
        Assert.Contains("前の内容のまま", told, StringComparison.Ordinal);
        await app.SayAsync(Audience.Resident, "r1", "ご意見");
        var retry = ReplyText.Of(await app.SayAsync(Audience.Resident, "r1", "晴れ"));
        Assert.Contains("から選ぶか、番号でお答えください。", retry, StringComparison.Ordinal); // neither file's edit is taken
        Assert.DoesNotContain("ご意見の分野", ReplyText.Of(await app.SayAsync(Audience.Resident, "r4", "ご意見")), StringComparison.Ordinal);

        await EditAndWaitAsync(() => Edit("dialogs/resident-feedback.yaml", "ご意見の分野を選んでください。", "ご意見の分野を選んでください。 "));
        Assert.Single(await ToldEditorAsync()); // the same problem saved again is not another message

        await EditAndWaitAsync(() => Edit("Content/messages.yaml", "{choice}のどれか", "{choices}のどれか"));

        Assert.Empty(Reloader.LastProblems);
        Assert.Contains("直っています", (await ToldEditorAsync())[^1], StringComparison.Ordinal);
        Assert.Contains("ご意見の分野を選んでください。", ReplyText.Of(await app.SayAsync(Audience.Resident, "r5", "ご意見")), StringComparison.Ordinal);
    }

    /// <summary>The texts of the staff chat messages waiting in the outbox for the editor, oldest first.</summary>
    private async Task<List<string>> ToldEditorAsync()
    {
        using var scope = app.Services.CreateScope();
        var key = scope.ServiceProvider.GetRequiredService<PrivacyKeys>().Pseudonymize("staff", Editor);
        var rows = await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<OutboxMessage>()
            .Where(m => m.Channel == "staff" && m.UserKey == key).OrderBy(m => m.Id).Select(m => m.RepliesJson).ToListAsync();
        return rows.ConvertAll(json => string.Join("\n", Strings(JsonDocument.Parse(json).RootElement)));
    }

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    /// <summary>Edits, waits until the watcher has seen them, then ends the quiet period on the fake clock and waits for the reload.</summary>
    private async Task EditAndWaitAsync(Action edit)
    {
        var reloader = Reloader;
        var attempts = reloader.Attempts;
        var changes = reloader.Changes;
        edit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (reloader.Changes == changes)
        {
            await Task.Delay(20, timeout.Token);
        }

        while (reloader.Attempts == attempts)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, timeout.Token);
        }
    }

    private void Edit(string relative, string from, string to)
    {
        var file = Path.Combine(folder, relative);
        var text = File.ReadAllText(file);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    private int LineOf(string relative, string text) =>
        Array.FindIndex(File.ReadAllLines(Path.Combine(folder, relative)), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

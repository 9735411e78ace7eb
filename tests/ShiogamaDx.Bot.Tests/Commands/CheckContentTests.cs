using ShiogamaDx.Bot.Cli;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Commands;

public sealed class CheckContentTests : IDisposable
{
    private readonly BotApplication app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task CheckContent_OfTheBundledContent_FindsNothing()
    {
        var output = new StringWriter();

        var code = await CheckContentCommand.RunAsync(app.Services, [], output);

        Assert.True(code == 0, output.ToString());
        Assert.Contains("OK  dialogs, menus", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("OK  procedures", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("OK  classes", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("OK  KPIs", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckContent_ListsEveryProblem_WithFileAndLine()
    {
        var folder = CopyContent();
        Edit(Path.Combine(folder, "dialogs", "class-survey.yaml"), "value: \"1\"", "value: \"0\"");
        Edit(Path.Combine(folder, "dialogs", "class-registration.yaml"), "id: with-companions", "id: with-friends");
        Edit(Path.Combine(folder, "dialogs", "resident-feedback.yaml"), "action: feedback.save", "action: feedback.sav");
        Edit(Path.Combine(folder, "dialogs", "menus.yaml"), "staff.guidelines:", "guidelines:");
        Edit(Path.Combine(folder, "classes.yaml"), "capacity: 12", "capacity: twelve");
        var output = new StringWriter();

        var code = await CheckContentCommand.RunAsync(app.Services, [folder], output);

        var text = output.ToString();
        Assert.Equal(1, code);
        Assert.Contains(LineOf(folder, "dialogs/class-survey.yaml", "- id: comprehension") + ": step 'comprehension' must offer choices valued 4, 3, 2, 1 (it offers 4, 3, 2, 0)", text, StringComparison.Ordinal);
        Assert.Contains(LineOf(folder, "dialogs/class-registration.yaml", "- id: register") + ": step 'register' calls 'classes.register', which reads the answer of a step 'with-companions'", text, StringComparison.Ordinal);
        Assert.Contains(LineOf(folder, "dialogs/resident-feedback.yaml", "- id: save") + ": step 'save' calls action 'feedback.sav', which the host does not have", text, StringComparison.Ordinal);
        Assert.Contains(LineOf(folder, "dialogs/menus.yaml", "guidelines:") + ": topic 'guidelines' names no feature", text, StringComparison.Ordinal);
        Assert.Contains(LineOf(folder, "classes.yaml", "capacity: twelve") + ": capacity", text, StringComparison.Ordinal);
        Assert.Contains("5 件の問題", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckContent_NamesABrokenSynonymFile_BesideAGuidelineOrThePlan_WithItsLine()
    {
        var folder = CopyContent();
        foreach (var (sub, document) in new[] { ("guidelines", "手引き"), ("plan", "プラン") })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
            File.WriteAllText(Path.Combine(folder, sub, document + ".md"), $"# {document}\n\n## 1. 目的\n\nこの{document}は業務の進め方を定める。\n");
            File.WriteAllText(Path.Combine(folder, sub, document + ".synonyms.txt"), "# groups\n押印, ハンコ\nひとつだけ\n");
        }

        var output = new StringWriter();

        var code = await CheckContentCommand.RunAsync(app.Services, [folder], output);

        var text = output.ToString();
        Assert.Equal(1, code);
        Assert.Contains(Path.Combine(folder, "guidelines", "手引き.synonyms.txt") + ":3:", text, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, "plan", "プラン.synonyms.txt") + ":3:", text, StringComparison.Ordinal);
        Assert.Contains("2 件の問題", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DialogCheck_RefusesAStepAskedAfterTheActionThatReadsIt_AndAStepOfTheWrongKind()
    {
        var folder = CopyContent();
        var feedback = Path.Combine(folder, "dialogs", "resident-feedback.yaml");
        Edit(feedback, "    type: confirm\n    prompt: \"市からの返事が必要ですか。\"", "    type: text\n    prompt: \"市からの返事が必要ですか。\"");
        var actions = app.WithScope(sp => sp.GetServices<IDialogAction>().ToList());

        var problems = DialogCatalog.Check(Path.Combine(folder, "dialogs"), actions, handlerNames: null);

        var problem = Assert.Single(problems);
        Assert.Equal(feedback, problem.File);
        Assert.Contains("step 'reply-wanted' must be of type confirm: 'feedback.save' reads it", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_WithADialogLackingAStepItsActionReads_DoesNotStart_AndNamesFileAndLine()
    {
        var folder = CopyContent();
        Edit(Path.Combine(folder, "dialogs", "staff-survey.yaml"), "id: digital-tools", "id: tools");
        using var broken = new BotApplication(new Dictionary<string, string?> { ["Dialogs:Path"] = Path.Combine(folder, "dialogs") });

        var ex = Assert.Throws<ContentFileException>(() => broken.Services);

        Assert.StartsWith("staff-survey.yaml:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'digital-tools'", ex.Message, StringComparison.Ordinal);
    }

    private string CopyContent()
    {
        var folder = Path.Combine(app.Folder, "content-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "dialogs"));
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Dialogs, "*.yaml"))
        {
            File.Copy(file, Path.Combine(folder, "dialogs", Path.GetFileName(file)));
        }

        foreach (var name in new[] { "procedures.yaml", "classes.yaml", "kpis.yaml" })
        {
            File.Copy(Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", name), Path.Combine(folder, name));
        }

        return folder;
    }

    private static void Edit(string file, string from, string to)
    {
        var text = File.ReadAllText(file);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>"FILE:LINE" of the first line holding the text, as the check prints it.</summary>
    private static string LineOf(string folder, string relative, string text)
    {
        var file = Path.Combine(folder, relative);
        var line = Array.FindIndex(File.ReadAllLines(file), l => l.Contains(text, StringComparison.Ordinal)) + 1;
        Assert.True(line > 0, $"{text} not in {relative}");
        return $"{file}:{line}";
    }
}

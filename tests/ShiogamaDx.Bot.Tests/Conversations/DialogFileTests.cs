using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Tests.Conversations;

public sealed class DialogFileTests
{
    public static TheoryData<string> DialogFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Dialogs, "*.yaml"))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DialogFiles))]
    public void EveryDialogFile_Loads(string file)
    {
        var path = Path.Combine(RepoPaths.Dialogs, file);
        var text = File.ReadAllText(path);

        var ex = Record.Exception(() => DialogLoader.Parse(text, path));

        Assert.Null(ex);
    }

    [Fact]
    public void TheBundledFolder_LoadsWithMenus() =>
        Assert.NotEmpty(DialogCatalog.Load(RepoPaths.Dialogs).Menus.Resident.Items);

    [Theory]
    [InlineData("id: x\nsteps:\n  - id: a\n    type: choice\n    prompt: p\n", 3, "needs choices")]
    [InlineData("id: x\nsteps:\n  - id: a\n    type: dance\n    prompt: p\n", 4, "'dance' is not one of")]
    [InlineData("id: x\nsteps:\n  - id: a\n    type: text\n    prompt: p\n    next: b\n", 3, "'b' is not a step")]
    [InlineData("id: x\nsteps:\n  - id: a\n    type: text\n    prompt: p\n  - id: a\n    type: text\n    prompt: q\n", 6, "used twice")]
    [InlineData("id: x\nsteps:\n  - id: a\n    type: text\n    promt: p\n", 5, "unknown step key 'promt'")]
    [InlineData("id: x\nsteps:\n  - id: a\n    type: text\n    prompt: [unclosed\n", 6, "")]
    public void BrokenDialog_NamesFileAndLine(string yaml, int line, string message)
    {
        var ex = Assert.Throws<ContentFileException>(() => DialogLoader.Parse(yaml, "/x/broken.yaml"));

        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"broken.yaml:{line}:", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Dialogs => Path.Combine(Root, "dialogs");

    public static string Prompts => Path.Combine(Root, "prompts");

    /// <summary>The plan the KPIs are transcribed from: bundled content the staff's plan answers quote.</summary>
    /// <summary>The bundled wording, for tests of code that renders without a host.</summary>
    public static Bot.Messages.MessageSet Messages { get; } = Bot.Messages.MessageSet.Load(Path.Combine(Root, "src", "ShiogamaDx.Bot", "Content", Bot.Messages.MessageSet.FileName), Bot.Messages.MessageKey.All);

    public static string PlanFile => Path.Combine(Root, "src", "ShiogamaDx.Bot", "Content", "plan", "shiogama-dx-plan-r8.txt");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ShiogamaDx.Bot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run the tests inside the repository.");
    }
}

using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Messages;

public sealed class MessageFileTests : IDisposable
{
    private static readonly string Bundled = Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", MessageSet.FileName);
    private readonly string folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "messages-" + Guid.NewGuid().ToString("N"));

    public MessageFileTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void TheBundledFile_HasEveryMessageTheHostDeclares()
    {
        var problems = MessageSet.Check(Bundled, MessageKey.All, out var set);

        Assert.Empty(problems.Select(p => p.Message));
        Assert.All(MessageKey.All, k => Assert.False(string.IsNullOrWhiteSpace(set!.Format(k, new object?[k.Placeholders.Length]))));
    }

    /// <summary>MessageKey.All loads only the …Texts classes (no walk over every type at start): a key declared elsewhere would be missed.</summary>
    [Fact]
    public void TheKeyList_HasEveryKeyTheHostDeclares()
    {
        var declared = typeof(MessageKey).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
            .Where(f => f.FieldType == typeof(MessageKey) && f.IsInitOnly)
            .Select(f => (MessageKey)f.GetValue(null)!)
            .ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared.Select(k => k.Key).Order(StringComparer.Ordinal), MessageKey.All.Select(k => k.Key));
    }

    [Theory]
    [InlineData("  cancelled: \"「{title}」をやめました。", "  cancelled: \"「{name}」をやめました。", "'conversations.cancelled': {name} is not filled by the host (it fills {title})")]
    [InlineData("  restarted: \"最初からやり直します。\"", "  restarted: \"{title}を最初からやり直します。\"", "'conversations.restarted' has no placeholders: {title} would be shown as it is")]
    [InlineData("  restarted: \"最初からやり直します。\"", "  restart: \"最初からやり直します。\"", "'conversations.restart' is not a message the host uses")]
    [InlineData("  restarted: \"最初からやり直します。\"", "  restarted: \"\"", "'conversations.restarted' needs a text")]
    public void ABrokenMessage_IsRefusedWithItsLine(string from, string to, string reason)
    {
        var file = Copy(from, to, out var line);

        var problems = MessageSet.Check(file, MessageKey.All, out var set);

        Assert.Null(set);
        var problem = Assert.Single(problems, p => p.Line == line);
        Assert.StartsWith(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingMessage_IsNamed()
    {
        var file = Copy("  restarted: \"最初からやり直します。\"\n", string.Empty, out _);

        var problems = MessageSet.Check(file, MessageKey.All, out _);

        Assert.Contains(problems, p => p.Reason == "'conversations.restarted' is missing");
    }

    [Fact]
    public async Task TheHost_SaysWhatTheFileSays()
    {
        var content = Path.Combine(folder, "Content");
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "Content"), content);
        var file = Path.Combine(content, MessageSet.FileName);
        File.WriteAllText(file, File.ReadAllText(file).Replace("choose-one: \"{choices}から選ぶか、番号でお答えください。\"", "choose-one: \"{choices}のどれかを選んでください。\"", StringComparison.Ordinal));
        using var app = new BotApplication(new Dictionary<string, string?> { ["Content:Path"] = content });

        await app.SayAsync(Audience.Resident, "r1", "ご意見");
        var replies = await app.SayAsync(Audience.Resident, "r1", "晴れ");

        Assert.Contains("「このLINEの使い方」「オンライン手続き」「スマホ教室」「その他」のどれかを選んでください。", ReplyText.Of(replies), StringComparison.Ordinal);
    }

    private string Copy(string from, string to, out int line)
    {
        var text = File.ReadAllText(Bundled);
        Assert.Contains(from, text, StringComparison.Ordinal);
        line = text[..text.IndexOf(from, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        var file = Path.Combine(folder, MessageSet.FileName);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
        return file;
    }

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

using System.Globalization;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Tests.Transcripts;

/// <summary>
/// Conversations as data: every <c>*.yaml</c> in this folder is one conversation with the real host and its
/// bundled content, turn by turn. Format:
/// <code>
/// audience: resident            # or staff; default resident
/// now: 2026-11-25T10:00:00+09:00 # optional: the fake clock at the start
/// settings: { Classes:ListSize: "3" }  # optional host settings
/// turns:
///   - say: スマホ教室             # what the person types
///     expect: [申し込む, 12月5日(土)]  # fragments the replies must contain (as the terminal renders them)
///     reject: [エラー]            # fragments they must not contain
///   - press: 申し込む             # presses a button of the last replies by its label
///     card: はじめてのスマホ教室   # optional: the card the button is on
///     user: someone-else          # optional: another person (default "transcript-user")
/// </code>
/// </summary>
public sealed class TranscriptTests
{
    private const string DefaultUser = "transcript-user";

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    // The source folder, not the build output: a transcript deleted from the repository must not linger and run.
    private static string Folder => Path.Combine(Conversations.RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Transcripts");

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Transcript_RunsAsWritten(string file)
    {
        var root = Load(Path.Combine(Folder, file));
        var audience = Scalar(root, "audience") is "staff" ? Audience.Staff : Audience.Resident;
        var settings = new Dictionary<string, string?> { ["Classes:BackgroundJobs"] = "false" };
        if (root.Children.TryGetValue(new YamlScalarNode("settings"), out var s) && s is YamlMappingNode map)
        {
            foreach (var (k, v) in map.Children)
            {
                settings[((YamlScalarNode)k).Value!] = ((YamlScalarNode)v).Value;
            }
        }

        DateTimeOffset? now = Scalar(root, "now") is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : null;
        using var app = new BotApplication(settings, now);
        var last = new Dictionary<string, IReadOnlyList<Reply>>(StringComparer.Ordinal);
        var turns = (YamlSequenceNode)root.Children[new YamlScalarNode("turns")];
        var number = 0;
        foreach (var turn in turns.Children.Cast<YamlMappingNode>())
        {
            number++;
            var where = $"{file}:{turn.Start.Line} (turn {number})";
            var user = Scalar(turn, "user") ?? DefaultUser;
            IReadOnlyList<Reply> replies;
            if (Scalar(turn, "say") is { } say)
            {
                replies = await app.SayAsync(audience, user, say);
            }
            else if (Scalar(turn, "press") is { } label)
            {
                var previous = last.GetValueOrDefault(user) ?? throw new Xunit.Sdk.XunitException($"{where}: nothing to press yet");
                var card = Scalar(turn, "card");
                var choice = Buttons.FindChoice(previous, label, card)
                    ?? throw new Xunit.Sdk.XunitException($"{where}: no button '{label}'{(card is null ? "" : $" on card '{card}'")} in:\n{ReplyText.Of(previous)}");
                replies = choice.Value is null ? await app.SayAsync(audience, user, choice.Label) : await app.SayAsync(audience, user, null, choice.Value);
            }
            else
            {
                throw new Xunit.Sdk.XunitException($"{where}: a turn needs say: or press:");
            }

            last[user] = replies;
            var rendered = ReplyText.Of(replies);
            foreach (var fragment in List(turn, "expect"))
            {
                if (!rendered.Contains(fragment, StringComparison.Ordinal))
                {
                    throw new Xunit.Sdk.XunitException($"{where}: expected 「{fragment}」 in:\n{rendered}");
                }
            }

            foreach (var fragment in List(turn, "reject"))
            {
                if (rendered.Contains(fragment, StringComparison.Ordinal))
                {
                    throw new Xunit.Sdk.XunitException($"{where}: did not expect 「{fragment}」 in:\n{rendered}");
                }
            }
        }

        Assert.True(number > 0, $"{file} has no turns");
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

    private static IEnumerable<string> List(YamlMappingNode map, string key) =>
        !map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? []
        : node is YamlSequenceNode seq ? seq.Children.Select(n => ((YamlScalarNode)n).Value ?? string.Empty)
        : [((YamlScalarNode)node).Value ?? string.Empty];
}

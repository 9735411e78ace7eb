using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Tests.Conversations;

namespace ShiogamaDx.Bot.Tests;

public sealed partial class ArchitectureTests
{
    private static readonly string[] Channels = ["Line", "Staff", "Cli"]; // Cli holds the terminal channel and the operator command interface features implement

    /// <summary>DESIGN.md's one dependency rule: the engine and the features never reference a channel.</summary>
    [Fact]
    public void EngineAndFeatures_NeverReferenceAChannel()
    {
        var src = Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot");
        var offenders = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(src).Select(Path.GetFileName).OfType<string>())
        {
            if (Channels.Contains(folder) || folder is "bin" or "obj" or "Properties")
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(Path.Combine(src, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (Path.GetDirectoryName(file)!.EndsWith("Migrations", StringComparison.Ordinal))
                {
                    continue; // generated: names every entity of every folder
                }

                if (ChannelReference().IsMatch(File.ReadAllText(file)))
                {
                    offenders.Add(Path.GetRelativePath(src, file));
                }
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void ProgramCs_IsCompositionOnly()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Program.cs"))
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("using ", StringComparison.Ordinal) && !l.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .ToList();

        Assert.True(lines.Count <= 40, $"Program.cs has {lines.Count} lines of code");
        Assert.All(lines, l => Assert.Matches(@"^(var builder = WebApplication\.CreateBuilder\((args|HostPaths\.Options\(args\))\);|builder\.Add\w+\(.*\);|var app = builder\.Build\(\);|app\.(Use|Map)\w+\(.*\);|return await app\.RunBotAsync\(args\);|public partial class Program;)$", l.Trim()));
    }

    [GeneratedRegex(@"ShiogamaDx\.Bot\.(Line|Staff)\b")]
    private static partial Regex ChannelReference();
}

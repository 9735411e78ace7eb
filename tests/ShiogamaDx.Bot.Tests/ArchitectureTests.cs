using NetArchTest.Rules;
using ShiogamaDx.Bot.Tests.Conversations;

namespace ShiogamaDx.Bot.Tests;

public sealed class ArchitectureTests
{
    /// <summary>
    /// DESIGN.md's one dependency rule, on the compiled types (what the code uses, not what its text says): the
    /// engine and the features never use a channel. Channels are Line, Staff and Cli (the terminal channel and
    /// the operator command interface features implement).
    /// </summary>
    [Fact]
    public void EngineAndFeatures_NeverUseAChannel()
    {
        var result = Types.InAssembly(typeof(Program).Assembly)
            .That().ResideInNamespace("ShiogamaDx.Bot")
            .And().DoNotResideInNamespace("ShiogamaDx.Bot.Line")
            .And().DoNotResideInNamespace("ShiogamaDx.Bot.Staff")
            .And().DoNotResideInNamespace("ShiogamaDx.Bot.Cli")
            .ShouldNot().HaveDependencyOnAny("ShiogamaDx.Bot.Line", "ShiogamaDx.Bot.Staff")
            .GetResult();

        Assert.True(result.IsSuccessful, "uses a channel: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>The rule above can fail: the channels themselves do use Line and Staff types.</summary>
    [Fact]
    public void ChannelCheck_FindsTheChannelsOwnTypes()
    {
        var channels = Types.InAssembly(typeof(Program).Assembly).That().ResideInNamespace("ShiogamaDx.Bot.Staff")
            .ShouldNot().HaveDependencyOnAny("ShiogamaDx.Bot.Line", "ShiogamaDx.Bot.Staff").GetResult();

        Assert.False(channels.IsSuccessful);
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
}

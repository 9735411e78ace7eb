namespace ShiogamaDx.Bot.Tests.Staff;

/// <summary>Channels translate; the engine and the features never know which channel a person uses.</summary>
public sealed class DependencyRuleTests
{
    [Fact]
    public void FeatureFolders_NeverReferenceTheChannels()
    {
        var src = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/ShiogamaDx.Bot"));
        Assert.True(Directory.Exists(src), src);
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("Staff/", StringComparison.Ordinal) && !f.StartsWith("Line/", StringComparison.Ordinal)
                && !f.StartsWith("Data/Migrations/", StringComparison.Ordinal) // generated: names every entity
                && !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal) && f != "Program.cs")
            .Where(f => File.ReadAllText(Path.Combine(src, f)) is var text
                && (text.Contains("ShiogamaDx.Bot.Staff", StringComparison.Ordinal) || text.Contains("ShiogamaDx.Bot.Line", StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(offenders);
    }
}

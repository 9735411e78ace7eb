using ShiogamaDx.Bot.Classes;

namespace ShiogamaDx.Bot.Tests.Classes;

public sealed class CheckClassesCommandTests
{
    [Fact]
    public async Task Check_ListsAGoodFile_AndNamesTheLineOfABadOne()
    {
        var good = Path.Combine(Conversations.RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", "classes.yaml");
        var bad = Path.Combine(Path.GetTempPath(), $"classes-bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(bad, "classes:\n  - id: x\n    title: t\n");
        try
        {
            var command = new CheckClassesCommand();
            var okOut = new StringWriter();
            var badOut = new StringWriter();

            Assert.Equal(0, await command.RunAsync([good], okOut, CancellationToken.None));
            Assert.Equal(1, await command.RunAsync([bad], badOut, CancellationToken.None));

            Assert.Contains("12月5日(土) 10:00〜12:00", okOut.ToString(), StringComparison.Ordinal);
            Assert.Contains(":2: 'date' is required", badOut.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }
}

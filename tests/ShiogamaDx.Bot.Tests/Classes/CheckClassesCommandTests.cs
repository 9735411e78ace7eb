using Microsoft.Extensions.Time.Testing;
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
            var command = new CheckClassesCommand(new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.FromHours(9))));
            var okOut = new StringWriter();
            var badOut = new StringWriter();

            Assert.Equal(0, await command.RunAsync([good], okOut, CancellationToken.None));
            Assert.Equal(1, await command.RunAsync([bad], badOut, CancellationToken.None));

            Assert.Contains("12月5日(土) 10:00〜12:00", okOut.ToString(), StringComparison.Ordinal);
            Assert.Contains(":2: 'date' is required", badOut.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("warning", okOut.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public async Task Check_WarnsWhenEveryClassHasPassed_ButTheFileIsStillValid()
    {
        // The bundled sample's dates are fixed; the day after its last class residents would be told there is none.
        var sample = Path.Combine(Conversations.RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", "classes.yaml");
        var afterTheLast = ClassSchedule.Load(sample).Max(c => c.StartsAt).AddDays(1);
        var output = new StringWriter();

        var code = await new CheckClassesCommand(new FakeTimeProvider(afterTheLast)).RunAsync([sample], output, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Contains("warning: no class in this file starts after now", output.ToString(), StringComparison.Ordinal);
    }
}

using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Data;

public sealed class DataProtectionStoreTests
{
    [Fact]
    public async Task Keys_AreKeptInTheDatabase_SoAnotherStartOfTheHostReadsWhatTheFirstProtected()
    {
        var folder = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(folder, "shared.db")}" };

        string cookie;
        using (var first = new BotApplication(settings))
        {
            cookie = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("dashboard-test").Protect("signed-in");
            await using var scope = first.Services.CreateAsyncScope();
            Assert.NotEmpty(await scope.ServiceProvider.GetRequiredService<BotDbContext>().Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>().ToListAsync());
        }

        // A restart, or a second replica on the same database: the cookie of the first is still valid.
        using var second = new BotApplication(settings);
        Assert.Equal("signed-in", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("dashboard-test").Unprotect(cookie));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Tests.Data;

public sealed class BotDbContextTests
{
    /// <summary>The model names its configurations (no assembly walk at start): a feature's new one must be named too.</summary>
    [Fact]
    public void TheModel_IsTheOneEveryConfigurationOfTheHostMakes()
    {
        using var named = new BotDbContext(new DbContextOptionsBuilder<BotDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var every = new EveryConfiguration(new DbContextOptionsBuilder<EveryConfiguration>().UseSqlite("Data Source=:memory:").Options);

        var differences = named.GetService<IMigrationsModelDiffer>().GetDifferences(
            named.GetService<IDesignTimeModel>().Model.GetRelationalModel(),
            every.GetService<IDesignTimeModel>().Model.GetRelationalModel());

        Assert.Empty(differences.Select(d => d.ToString()));
    }

    private sealed class EveryConfiguration(DbContextOptions<EveryConfiguration> options) : BotDbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);
    }
}

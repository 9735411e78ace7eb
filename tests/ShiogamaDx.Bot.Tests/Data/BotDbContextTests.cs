using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Tests.Data;

public sealed class BotDbContextTests
{
    /// <summary>The model finds its configurations by name (no walk over every type at start): one named otherwise would be missed.</summary>
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

    /// <summary>The host names its migrations (no walk over every type at start): after a squash or a new migration, name it too.</summary>
    [Fact]
    public void TheListedMigrations_AreTheOnesEfFinds()
    {
        using var found = new BotDbContext(new DbContextOptionsBuilder<BotDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var named = new BotDbContext(new DbContextOptionsBuilder<BotDbContext>().UseSqlite("Data Source=:memory:").ReplaceService<IMigrationsAssembly, MigrationList>().Options);
        using var pgFound = new PostgreSqlBotDbContext(new DbContextOptionsBuilder<PostgreSqlBotDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
        using var pgNamed = new PostgreSqlBotDbContext(new DbContextOptionsBuilder<PostgreSqlBotDbContext>().UseNpgsql("Host=localhost;Database=design").ReplaceService<IMigrationsAssembly, MigrationList>().Options);

        foreach (var (a, b) in new DbContext[][] { [found, named], [pgFound, pgNamed] }.Select(p => (p[0].GetService<IMigrationsAssembly>(), p[1].GetService<IMigrationsAssembly>())))
        {
            Assert.IsType<MigrationList>(b);
            Assert.NotEmpty(a.Migrations);
            Assert.Equal(a.Migrations.Select(m => (m.Key, m.Value)), b.Migrations.Select(m => (m.Key, m.Value)));
            Assert.Equal(a.ModelSnapshot!.GetType(), b.ModelSnapshot!.GetType());
        }
    }

    private sealed class EveryConfiguration(DbContextOptions<EveryConfiguration> options) : BotDbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);
    }
}

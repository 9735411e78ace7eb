using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Data;

/// <summary>
/// The one database of the host. Each feature keeps its entities and their
/// <see cref="IEntityTypeConfiguration{TEntity}"/> in its own folder; they are picked up here, so adding a
/// feature does not touch this file. Use <c>db.Set&lt;T&gt;()</c>.
/// </summary>
/// <remarks>Also keeps ASP.NET Core's data-protection keys (dashboard sign-in cookies), so a restart or another replica reads them.</remarks>
public class BotDbContext : DbContext, IDataProtectionKeyContext
{
    public BotDbContext(DbContextOptions<BotDbContext> options)
        : base(options)
    {
    }

    /// <summary>For the provider-specific subclass, which carries its own migrations.</summary>
    protected BotDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            // SQLite has no date type: store instants as sortable integers so queries can compare and order them.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
        else
        {
            // PostgreSQL, the other provider (not asked by name: that would load Npgsql on SQLite too).
            // timestamptz takes UTC only; instants keep their meaning, local offsets are for display.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
        }
    }

    // Each feature's and channel's …Configuration class, found by name (EF's ApplyConfigurationsFromAssembly loads every type of the host).
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        foreach (var type in HostTypes.EndingWith("Configuration"))
        {
            foreach (var entity in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>)))
            {
                ApplyConfiguration.MakeGenericMethod(entity.GenericTypeArguments).Invoke(modelBuilder, [Activator.CreateInstance(type, nonPublic: true)]);
            }
        }
    }

    private static readonly System.Reflection.MethodInfo ApplyConfiguration = typeof(ModelBuilder).GetMethods()
        .Single(m => m.Name == nameof(ModelBuilder.ApplyConfiguration) && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>));

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
}

/// <summary>
/// The same model on PostgreSQL. A subclass only so that EF Core keeps a second set of migrations
/// (Data/PostgreSqlMigrations) beside SQLite's; features keep asking for <see cref="BotDbContext"/>.
/// </summary>
public sealed class PostgreSqlBotDbContext(DbContextOptions<PostgreSqlBotDbContext> options) : BotDbContext(options);

/// <summary>Lets `dotnet ef migrations add X --context PostgreSqlBotDbContext` build the model without a server.</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlBotDbContext>
{
    public PostgreSqlBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlBotDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}

/// <summary>Lets `dotnet ef migrations add X --context BotDbContext` build the SQLite model without starting the host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<BotDbContext>
{
    public BotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BotDbContext>().UseSqlite("Data Source=design.db").Options);
}

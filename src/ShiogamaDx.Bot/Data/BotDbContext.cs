using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ShiogamaDx.Bot.Data;

/// <summary>
/// The one database of the host. Each feature keeps its entities and their
/// <see cref="IEntityTypeConfiguration{TEntity}"/> in its own folder; they are picked up here, so adding a
/// feature does not touch this file. Use <c>db.Set&lt;T&gt;()</c>.
/// </summary>
public sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            // SQLite has no date type: store instants as sortable integers so queries can compare and order them.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);
}

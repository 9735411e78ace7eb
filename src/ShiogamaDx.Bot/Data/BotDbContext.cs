using Microsoft.EntityFrameworkCore;

namespace ShiogamaDx.Bot.Data;

/// <summary>
/// The one database of the host. Each feature keeps its entities and their
/// <see cref="IEntityTypeConfiguration{TEntity}"/> in its own folder; they are picked up here, so adding a
/// feature does not touch this file. Use <c>db.Set&lt;T&gt;()</c>.
/// </summary>
public sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);
}

namespace ShiogamaDx.Bot.Data;

/// <summary>
/// Loads a feature's bundled (or the city's own) content into the database at start. Each feature that owns
/// content has one; they run in <see cref="Order"/> after migrations.
/// </summary>
public interface IContentSeeder
{
    int Order => 0;

    Task SeedAsync(CancellationToken cancellationToken);
}

public static class ContentSeedingExtensions
{
    private const long SeedingLock = 0x5345_4544_494E_4721; // "SEEDING!"

    public static async Task SeedContentAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        // Replicas starting together seed one after the other: seeders check what is there, then add.
        await using var scope = services.CreateAsyncScope();
        await using var lockScope = services.CreateAsyncScope(); // the lock's connection, apart from the seeders' context
        await DatabaseExtensions.ExclusiveAsync(lockScope.ServiceProvider.GetRequiredService<BotDbContext>(), SeedingLock, async () =>
        {
            foreach (var seeder in scope.ServiceProvider.GetServices<IContentSeeder>().OrderBy(s => s.Order))
            {
                await seeder.SeedAsync(ct);
            }
        }, ct);
    }
}

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
    public static async Task SeedContentAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        // Replicas starting together seed one after the other: seeders check what is there, then add.
        await using var lease = await services.GetRequiredService<WorkLeases>().WaitAsync("content-seeding", TimeSpan.FromMinutes(5), ct);
        await using var scope = services.CreateAsyncScope();
        foreach (var seeder in scope.ServiceProvider.GetServices<IContentSeeder>().OrderBy(s => s.Order))
        {
            await seeder.SeedAsync(ct);
        }
    }
}

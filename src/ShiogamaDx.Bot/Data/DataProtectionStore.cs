using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Data;

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b) => b.ToTable("DataProtectionKeys");
}

public static class DataProtectionStore
{
    /// <summary>
    /// ASP.NET Core's data-protection keys (they sign the dashboard's sign-in cookie and its OIDC state) in the
    /// bot's database: by default they live in the process's home folder, so a container restart signed everyone
    /// out and a second replica could not read the first one's cookies.
    /// </summary>
    public static IServiceCollection AddDataProtectionInDatabase(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName("ShiogamaDx.Bot")
            .PersistKeysToDbContext<BotDbContext>();
        return services;
    }
}

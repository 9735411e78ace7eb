using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ShiogamaDx.Bot.Line;

/// <summary>The raw LINE user id behind a pseudonymous key: needed only to push, deleted when the person blocks the account.</summary>
public sealed class LineUser
{
    public required string UserKey { get; set; }

    public string? LineUserId { get; set; }

    public bool Following { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class LineUserConfiguration : IEntityTypeConfiguration<LineUser>
{
    public void Configure(EntityTypeBuilder<LineUser> b)
    {
        b.ToTable("LineUsers");
        b.HasKey(x => x.UserKey);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.LineUserId).HasMaxLength(64);
    }
}

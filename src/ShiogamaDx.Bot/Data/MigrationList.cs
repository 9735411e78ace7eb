using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;

namespace ShiogamaDx.Bot.Data;

#pragma warning disable EF1001 // EF's own default, with the lookup replaced: a change of it in an EF release fails the build or BotDbContextTests
/// <summary>
/// The migrations and snapshot of each provider, named: EF's default finds them by walking every type of the host at
/// each start, which loads every assembly one of them derives from or lays out (OpenXml). After a squash or a new
/// migration, name it here; <c>BotDbContextTests</c> compares this list with what EF would find.
/// </summary>
internal sealed class MigrationList(ICurrentDbContext current, IDbContextOptions options, IMigrationsIdGenerator ids, IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationsAssembly(current, options, ids, logger)
{
    private readonly bool postgres = current.Context is PostgreSqlBotDbContext;

    public override IReadOnlyDictionary<string, TypeInfo> Migrations { get; } = Named(current.Context is PostgreSqlBotDbContext
        ? [typeof(PostgreSqlMigrations.Initial)]
        : [typeof(Migrations.Initial)]);

    public override ModelSnapshot? ModelSnapshot => field ??= postgres ? new PostgreSqlMigrations.PostgreSqlBotDbContextModelSnapshot() : new Migrations.BotDbContextModelSnapshot();

    private static SortedList<string, TypeInfo> Named(Type[] migrations) =>
        new(migrations.ToDictionary(t => t.GetCustomAttribute<MigrationAttribute>()!.Id, t => t.GetTypeInfo()), StringComparer.Ordinal);
}

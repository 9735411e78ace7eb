using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Data;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    [AllowedValues("Sqlite", "PostgreSql")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Apply migrations at start. Production may turn this off and migrate as a deployment step.</summary>
    public bool MigrateOnStart { get; set; } = true;
}

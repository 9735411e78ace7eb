using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Content;

/// <summary>Where the content files live (procedures, classes, KPIs): the bundled folder, or the city's own copy.</summary>
public sealed class ContentOptions
{
    public const string SectionName = "Content";

    /// <summary>Folder of the content files; relative paths are resolved against the app's folder.</summary>
    [Required]
    public string Path { get; set; } = "Content";

    public string FullPath => System.IO.Path.GetFullPath(Path, AppContext.BaseDirectory);
}

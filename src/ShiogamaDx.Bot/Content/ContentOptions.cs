using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Content;

/// <summary>Where the content files live (procedures, classes, KPIs): the bundled folder, or the city's own copy.</summary>
public sealed class ContentOptions
{
    public const string SectionName = "Content";

    /// <summary>Folder of the content files; relative paths are resolved against the app's folder.</summary>
    [Required]
    public string Path { get; set; } = "Content";

    /// <summary>Reload dialogs, menus, messages, the catalog and the class schedule when their files change.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>Quiet time after the last file change before the content is checked and reloaded.</summary>
    [Range(50, 60_000)]
    public int ReloadDebounceMilliseconds { get; set; } = 500;

    /// <summary>
    /// Staff ids (as the staff chat knows them, like Announcements:Authors; usually StaffSurveys:OfficeMembers) told in
    /// their staff chat when an edited content file is refused, with each problem's file and line, and when it passes again.
    /// </summary>
    public List<string> Editors { get; set; } = [];

    public string FullPath => System.IO.Path.GetFullPath(Path, AppContext.BaseDirectory);
}

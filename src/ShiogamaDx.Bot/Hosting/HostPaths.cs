namespace ShiogamaDx.Bot.Hosting;

/// <summary>
/// Where the host reads and writes, whatever working directory it was started from (systemd, a container,
/// <c>dotnet path/to/ShiogamaDx.Bot.dll</c>): settings (appsettings*.json, Serilog) and bundled content from the
/// app's own folder, the content root; relative paths of the state it writes (the SQLite file, a generated privacy
/// key) under <c>DataDirectory</c>. docs/operations.md, "What runs".
/// </summary>
public static class HostPaths
{
    public const string DataDirectoryKey = "DataDirectory";

    public static WebApplicationOptions Options(string[] args) => new() { Args = args, ContentRootPath = AppContext.BaseDirectory };

    /// <summary>The setting DataDirectory (relative to the app folder when relative), else the app folder itself.</summary>
    public static string DataDirectory(this IHostApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration[DataDirectoryKey] is { Length: > 0 } configured ? configured : ".", builder.Environment.ContentRootPath);
}

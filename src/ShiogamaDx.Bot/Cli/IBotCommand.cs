namespace ShiogamaDx.Bot.Cli;

/// <summary>
/// An operator command run instead of serving: <c>dotnet run --project src/ShiogamaDx.Bot -- import procedures FILE</c>.
/// Features register theirs; the database is migrated and content seeded before a command runs.
/// </summary>
public interface IBotCommand
{
    /// <summary>The words that select it, e.g. ["import", "procedures"].</summary>
    IReadOnlyList<string> Verb { get; }

    string Usage { get; }

    /// <summary>Runs with the arguments after the verb; returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken);
}

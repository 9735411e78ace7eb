using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Cli;

/// <summary>
/// The host's one entry: no arguments serves HTTP; <c>chat --as resident|staff</c> talks in the terminal.
/// Start-up problems the operator can fix (a broken content file, an unwritable database) end with a
/// clear message and exit code 1 instead of a stack trace.
/// </summary>
public static class BotCommands
{
    /// <summary>True when the arguments name a command (not options like --urls): logs stay quiet then.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    public static async Task<int> RunBotAsync(this WebApplication app, string[] args)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ShiogamaDx.Bot");
        if (args is ["healthcheck", ..])
        {
            // Asks the running host; touches neither the database nor the content, so it is cheap and harmless.
            return await HealthProbe.RunAsync(args[1..], app.Configuration, Console.Out);
        }

        if (args is ["check", "content", ..])
        {
            // Before the start-up checks: it is what one runs when they fail.
            return await CheckContentCommand.RunAsync(app.Services, args[2..], Console.Out);
        }

        try
        {
            // The dialogs' check (content and the features' singletons: CPU) runs beside the migration (mostly the
            // database's I/O): on two cores the host is ready about half a second sooner.
            var validated = Task.Run(app.Services.ValidateDialogs);
            await app.MigrateDatabaseAsync();
            await validated;
            await app.Services.SeedContentAsync();

            if (!IsCommand(args))
            {
                await app.RunAsync();
                return 0;
            }

            if (args[0] == "chat")
            {
                var audience = args.SkipWhile(a => a != "--as").Skip(1).FirstOrDefault() is "staff" ? Audience.Staff : Audience.Resident;
                return await TerminalChat.RunAsync(app.Services, audience, Console.In, Console.Out, app.Lifetime.ApplicationStopping, asNewPerson: args.Contains("--new"));
            }

            await using var scope = app.Services.CreateAsyncScope();
            var commands = scope.ServiceProvider.GetServices<IBotCommand>().ToList();
            var command = commands.FirstOrDefault(c => args.Length >= c.Verb.Count && c.Verb.SequenceEqual(args.Take(c.Verb.Count)));
            if (command is null)
            {
                await Console.Error.WriteLineAsync("Unknown command. Commands:\n  chat --as resident|staff [--new]\n  healthcheck [--url URL]\n  " + CheckContentCommand.Usage + "\n" + string.Join("\n", commands.Select(c => "  " + c.Usage)));
                return 2;
            }

            return await command.RunAsync(args.Skip(command.Verb.Count).ToList(), Console.Out, CancellationToken.None);
        }
        catch (Exception ex) when (ex is ContentFileException or DatabaseUnavailableException or FileNotFoundException or DirectoryNotFoundException)
        {
            logger.LogCritical("Cannot start: {Reason}", ex.Message);
            await Console.Error.WriteLineAsync("起動できません / cannot start: " + ex.Message);
            return 1;
        }
    }
}

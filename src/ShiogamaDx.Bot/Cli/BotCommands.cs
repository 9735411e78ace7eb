using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Cli;

/// <summary>
/// The host's one entry: no arguments serves HTTP; <c>chat --as resident|staff</c> talks in the terminal.
/// Start-up problems the operator can fix (a broken content file, an unwritable database) end with a
/// clear message and exit code 1 instead of a stack trace.
/// </summary>
public static class BotCommands
{
    public static bool IsChat(string[] args) => args.Length > 0 && args[0] == "chat";

    public static async Task<int> RunBotAsync(this WebApplication app, string[] args)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ShiogamaDx.Bot");
        try
        {
            app.Services.ValidateDialogs();
            await app.MigrateDatabaseAsync();
            await app.Services.SeedContentAsync();

            if (IsChat(args))
            {
                var audience = args.SkipWhile(a => a != "--as").Skip(1).FirstOrDefault() is "staff" ? Audience.Staff : Audience.Resident;
                return await TerminalChat.RunAsync(app.Services, audience, Console.In, Console.Out, app.Lifetime.ApplicationStopping);
            }

            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is ContentFileException or DatabaseUnavailableException or FileNotFoundException or DirectoryNotFoundException)
        {
            logger.LogCritical("Cannot start: {Reason}", ex.Message);
            await Console.Error.WriteLineAsync("起動できません / cannot start: " + ex.Message);
            return 1;
        }
    }
}

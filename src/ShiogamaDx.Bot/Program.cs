using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddBotLogging(quiet: BotCommands.IsChat(args));
builder.AddDatabase();
builder.AddConversations();

var app = builder.Build();

app.UseBotRequestLogging();
app.MapHealth();

return await app.RunBotAsync(args);

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;

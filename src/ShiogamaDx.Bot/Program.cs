using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddBotLogging(quiet: BotCommands.IsCommand(args));
builder.AddDatabase();
builder.AddConversations();
builder.AddAdminApi();
builder.AddClasses();

var app = builder.Build();

app.UseBotRequestLogging();
app.MapHealth();
app.MapAdminApi();
app.MapClasses();

return await app.RunBotAsync(args);

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;

using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Kpis;

var builder = WebApplication.CreateBuilder(args);

builder.AddBotLogging(quiet: BotCommands.IsCommand(args));
builder.AddDatabase();
builder.AddConversations();
builder.AddAdminApi();
builder.AddKpis();

var app = builder.Build();

app.UseBotRequestLogging();
app.MapHealth();
app.MapAdminApi();
app.MapKpis();

return await app.RunBotAsync(args);

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;

using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Announcements;
using ShiogamaDx.Bot.Assistant;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Guides;
using ShiogamaDx.Bot.Handoff;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Language;
using ShiogamaDx.Bot.Line;
using ShiogamaDx.Bot.Line.RichMenu;
using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Plan;
using ShiogamaDx.Bot.Procedures;
using ShiogamaDx.Bot.Staff;
using ShiogamaDx.Bot.Surveys;

// Settings and content come from the app's folder, not the working directory (HostPaths).
var builder = WebApplication.CreateBuilder(HostPaths.Options(args));

builder.AddBotLogging(quiet: BotCommands.IsCommand(args));
builder.AddTelemetry();
builder.AddReverseProxy();
builder.AddDatabase();
builder.AddContent();
builder.AddConversations();
builder.AddLanguage();
builder.AddAdminApi();

// Channels: both store what they receive in the one inbox, answered by its worker
builder.AddInbox();
builder.AddLine();
builder.AddLineRichMenu();
builder.AddStaff();

// Features
builder.AddProcedures();
builder.AddGuides();
builder.AddClasses();
builder.AddKpis();
builder.AddAssistant();
builder.AddGuidelines();
builder.AddPlan();
builder.AddStaffSurveys();
builder.AddHandoff();
builder.AddAnnouncements();
builder.AddResidentLanguages();

var app = builder.Build();

app.UseReverseProxy();
app.UseBotRequestLogging();
app.UseSecurityHeaders(DashboardPages.InlineStyles);
app.UseAdminApi();
app.MapHealth();
app.MapMetrics();
app.MapLine();
app.MapStaff();
app.MapClasses();
app.MapKpis();
app.MapStaffSurveys();
app.MapAnnouncements();

return await app.RunBotAsync(args);

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;

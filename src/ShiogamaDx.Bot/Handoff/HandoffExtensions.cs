using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Handoff;

public static class HandoffExtensions
{
    public static IHostApplicationBuilder AddHandoff(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HandoffOptions>().BindConfiguration(HandoffOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<HandoffOptions>, HandoffOptionsValidator>();
        services.AddSingleton(sp => OfficeCalendar.Load(Path.Combine(sp.GetRequiredService<IOptions<ContentOptions>>().Value.FullPath, sp.GetRequiredService<IOptions<HandoffOptions>>().Value.CalendarFile)));
        services.AddSingleton<TerminalDesk>();
        services.AddScoped<HandoffTopics>();
        services.AddScoped<HandoffDesk>();
        services.AddScoped<ITurnDiversion>(sp => sp.GetRequiredService<HandoffDesk>());
        services.AddScoped<IIntentHandler, ResidentHandoffHandler>();
        services.AddScoped<IIntentHandler, StaffHandoffHandler>();
        services.AddScoped<IPersonalDataEraser, HandoffDataEraser>();
        services.AddScoped<Kpis.IDashboardSection, HandoffDashboardSection>();
        services.AddSingleton<HandoffJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<HandoffJobs>());
        return builder;
    }
}

/// <summary>
/// Set by the terminal chat (<c>chat --as resident|staff</c>): handoff is on even without Handoff:Conversations, and the
/// person at the terminal may claim, so two terminals on one database play both sides for a demo.
/// </summary>
public sealed class TerminalDesk
{
    public bool On { get; set; }
}

/// <summary>The office's monthly figures (「有人対応の実績」) on the KPI dashboard too; nothing while handoff is off.</summary>
public sealed class HandoffDashboardSection(HandoffDesk desk, IOptions<HandoffOptions> options) : Kpis.IDashboardSection
{
    public async Task<IReadOnlyList<Kpis.DashboardTable>> TablesAsync(CancellationToken cancellationToken) =>
        options.Value.Enabled && (await desk.FiguresAsync(cancellationToken)) is [TableReply t]
            ? [new Kpis.DashboardTable("handoff-monthly", t.Title, t.Headers, t.Rows, t.Note)]
            : [];
}

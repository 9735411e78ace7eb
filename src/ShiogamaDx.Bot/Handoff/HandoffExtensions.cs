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
        services.AddScoped<HandoffDesk>();
        services.AddScoped<ITurnDiversion>(sp => sp.GetRequiredService<HandoffDesk>());
        services.AddScoped<IIntentHandler, ResidentHandoffHandler>();
        services.AddScoped<IIntentHandler, StaffHandoffHandler>();
        services.AddScoped<IPersonalDataEraser, HandoffDataEraser>();
        services.AddSingleton<HandoffJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<HandoffJobs>());
        return builder;
    }
}

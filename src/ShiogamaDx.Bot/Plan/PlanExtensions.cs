using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Plan;

public static class PlanExtensions
{
    public static IHostApplicationBuilder AddPlan(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PlanOptions>().BindConfiguration(PlanOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PlanLibrary>();
        services.AddScoped<Data.IContentSeeder, PlanContentLoader>();
        services.AddScoped<IIntentHandler, PlanHandler>();
        return builder;
    }
}

using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Guidelines;

public static class GuidelinesExtensions
{
    public static IHostApplicationBuilder AddGuidelines(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GuidelinesOptions>().BindConfiguration(GuidelinesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<GuidelineLibrary>();
        services.AddScoped<Data.IContentSeeder, GuidelineContentLoader>();
        services.AddHostedService<GuidelineWatcher>();
        services.AddSingleton<GuidelineAnswerer>();
        services.AddSingleton<IIntentHandler, GuidelineHandler>();
        return builder;
    }
}

using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Guides;

public static class GuidesExtensions
{
    /// <summary>The residents' guides to the city's measures (Content/guides.yaml).</summary>
    public static IHostApplicationBuilder AddGuides(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GuideCatalog>();
        builder.Services.AddScoped<IIntentHandler, GuidesHandler>();
        return builder;
    }
}

using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Localization;

public static class LocalizationExtensions
{
    /// <summary>やさしい日本語 and foreign languages for residents (Content/languages/), and the office's report of what lacks them.</summary>
    public static IHostApplicationBuilder AddResidentLanguages(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<LanguageCatalog>();
        services.AddSingleton<ForeignIndexCache>();
        services.AddSingleton<EasyIndexCache>();
        services.AddSingleton<MachineTranslator>();
        services.AddScoped<ResidentLanguages>();
        services.AddScoped<LanguageDiversion>();
        services.AddScoped<ITurnDiversion>(sp => sp.GetRequiredService<LanguageDiversion>());
        services.AddScoped<IIntentHandler, LanguageReportHandler>();
        services.AddScoped<IPersonalDataEraser, ResidentLanguageEraser>();
        return builder;
    }
}

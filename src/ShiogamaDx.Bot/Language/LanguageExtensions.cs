using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Content;

namespace ShiogamaDx.Bot.Language;

public static class LanguageExtensions
{
    /// <summary>The one Japanese analysis, with the city's word list from the content folder.</summary>
    public static IHostApplicationBuilder AddLanguage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => CityWords.Load(Path.Combine(sp.GetRequiredService<IOptions<ContentOptions>>().Value.FullPath, CityWords.FileName)));
        builder.Services.AddSingleton(sp => new JapaneseAnalysis(sp.GetRequiredService<CityWords>()));
        return builder;
    }
}

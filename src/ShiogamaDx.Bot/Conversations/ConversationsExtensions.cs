using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Hosting;

namespace ShiogamaDx.Bot.Conversations;

public static class ConversationsExtensions
{
    public static IHostApplicationBuilder AddConversations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var dataDirectory = builder.DataDirectory();
        services.AddOptions<DialogOptions>().BindConfiguration(DialogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ContentOptions>().BindConfiguration(ContentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart(); // every feature's content folder
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DialogCatalog.Load(sp.GetRequiredService<IOptions<DialogOptions>>().Value.FullPath));
        services.AddSingleton(sp => PrivacyKeys.FromOptions(sp.GetRequiredService<IOptions<PrivacyOptions>>().Value, dataDirectory));
        services.AddSingleton<ConversationLocks>();
        services.AddScoped<ConversationStore>();
        services.AddScoped<DialogRuntime>();
        services.AddScoped<ConversationEngine>();
        services.AddScoped<Outbox>();
        services.AddScoped<IPersonalDataEraser, ConversationDataEraser>();
        services.AddScoped<IDialogAction, FeedbackSaveAction>();
        foreach (var audience in Enum.GetValues<Audience>())
        {
            services.AddSingleton<IIntentHandler>(sp => new MenuHandler(audience, sp.GetRequiredService<DialogCatalog>()));
            services.AddSingleton<IIntentHandler>(sp => new ContactHandler(audience, sp.GetRequiredService<DialogCatalog>()));
        }

        return builder;
    }

    /// <summary>Loads dialogs and checks every action they name, so a broken file stops the start with its file and line.</summary>
    public static void ValidateDialogs(this IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var catalog = scope.ServiceProvider.GetRequiredService<DialogCatalog>();
        var handlers = scope.ServiceProvider.GetServices<IIntentHandler>().ToList();
        catalog.Validate(scope.ServiceProvider.GetServices<IDialogAction>(), handlers.Select(h => h.Name));
        var names = handlers.GroupBy(h => h.Name).FirstOrDefault(g => g.Count() > 1);
        if (names is not null)
        {
            throw new InvalidOperationException($"Two intent handlers are named '{names.Key}'.");
        }
    }
}

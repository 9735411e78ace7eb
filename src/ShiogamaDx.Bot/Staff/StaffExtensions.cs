using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Inbox;

namespace ShiogamaDx.Bot.Staff;

public static class StaffExtensions
{
    public static IHostApplicationBuilder AddStaff(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StaffOptions>().BindConfiguration(StaffOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StaffOptions>, StaffOptionsValidator>();

        services.AddHttpClient(ConnectorClient.HttpClientName).AddStandardResilienceHandler();
        services.AddHttpClient(ConnectorTokenProvider.HttpClientName).AddStandardResilienceHandler();
        services.AddHttpClient(BotFrameworkAuthenticator.HttpClientName).AddStandardResilienceHandler();

        services.AddSingleton<BotFrameworkAuthenticator>();
        services.AddSingleton<ConnectorTokenProvider>();
        services.AddSingleton<ServiceUrlPolicy>();
        services.AddSingleton<ConnectorClient>();
        services.AddScoped<ConversationReferenceStore>();
        services.AddScoped<IPersonalDataEraser, StaffConversationReferenceEraser>();
        services.AddScoped<IRecipientDirectory, StaffRecipientDirectory>();
        services.AddScoped<StaffChannel>();
        services.AddKeyedScoped<IInboxChannel>(StaffActivities.Channel, (sp, _) => sp.GetRequiredService<StaffChannel>());
        services.AddKeyedScoped<IOutboxChannel>(StaffActivities.Channel, (sp, _) => sp.GetRequiredService<StaffChannel>());
        services.AddOutboxDelivery<StaffOptions>(StaffActivities.Channel, o => (o.Enabled, o.OutboxInterval));
        return builder;
    }

    public static IEndpointRouteBuilder MapStaff(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<StaffOptions>>().Value;
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ShiogamaDx.Bot.Staff");
        if (!options.Enabled)
        {
            logger.LogInformation("Staff channel off: set Staff:MicrosoftAppId and Staff:MicrosoftAppPassword to connect Teams / Bot Framework");
        }
        else if (!options.HasAppId)
        {
            logger.LogWarning("Staff channel accepts unauthenticated activities (Staff:AllowUnauthenticated): for a local emulator only");
        }

        app.MapPost("/api/messages", StaffEndpoint.HandleAsync).DisableAntiforgery();
        return app;
    }
}

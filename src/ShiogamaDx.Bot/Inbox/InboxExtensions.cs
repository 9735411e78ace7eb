using System.Data.Common;

namespace ShiogamaDx.Bot.Inbox;

public static class InboxExtensions
{
    public static IHostApplicationBuilder AddInbox(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<InboxWriter>();
        services.AddScoped<InboxOutcomes>();
        services.AddSingleton(sp => new InboxSchedule(enabled: sp.GetService<DbDataSource>() is null));
        services.AddSingleton(sp => new PersonLocks(sp.GetService<DbDataSource>(), sp.GetRequiredService<ILogger<PersonLocks>>()));
        services.AddHostedService<InboxWorker>();
        return builder;
    }
}

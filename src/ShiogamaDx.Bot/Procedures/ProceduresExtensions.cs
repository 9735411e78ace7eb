using ShiogamaDx.Bot.Cli;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;

namespace ShiogamaDx.Bot.Procedures;

public static class ProceduresExtensions
{
    public static IHostApplicationBuilder AddProcedures(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ProcedureIndexCache>();
        services.AddSingleton<ProcedureDemandCounter>();
        services.AddHostedService(sp => sp.GetRequiredService<ProcedureDemandCounter>());
        services.AddScoped<ProcedureCatalog>();
        services.AddScoped<IContentSeeder, ProcedureSeeder>();
        services.AddScoped<IBotCommand, ImportProceduresCommand>();
        services.AddScoped<IBotCommand, ExportProceduresCommand>();
        services.AddScoped<IKpiValueSource, ProcedureKpiSource>();
        services.AddScoped<IIntentHandler, ProcedureHandler>();
        services.AddScoped<IIntentHandler, ProcedureDemandHandler>();
        return builder;
    }
}

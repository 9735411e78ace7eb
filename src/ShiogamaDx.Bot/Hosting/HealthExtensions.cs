namespace ShiogamaDx.Bot.Hosting;

public static class HealthExtensions
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz");
        return app;
    }
}

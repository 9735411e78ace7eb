using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Admin;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// <c>/dashboard</c> for a browser, which cannot send X-Api-Key: the DX office signs in once with the operations
/// key and gets an HttpOnly, SameSite=Strict cookie that holds a MAC of the key (never the key itself), so a
/// changed key signs everyone out. Off (404) when Admin:ApiKey is not set, like the operations API.
/// </summary>
internal static class KpiDashboardPage
{
    private const string CookieName = "kpi-dashboard";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", async (HttpContext http, int? fiscalYear, KpiService service, TimeProvider clock, IOptions<AdminOptions> admin, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(admin.Value.ApiKey))
            {
                return Results.NotFound();
            }

            if (!SignedIn(http, admin.Value.ApiKey))
            {
                return Results.Content(LoginPage(error: false), "text/html; charset=utf-8");
            }

            var snapshot = await service.SnapshotAsync(ct);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Content(KpiDashboard.Render(snapshot, fiscalYear ?? service.CurrentFiscalYear, clock), "text/html; charset=utf-8");
        });

        app.MapPost("/dashboard/login", async (HttpContext http, IOptions<AdminOptions> admin) =>
        {
            var key = admin.Value.ApiKey;
            if (string.IsNullOrEmpty(key))
            {
                return Results.NotFound();
            }

            var form = await http.Request.ReadFormAsync();
            var given = form["key"].ToString();
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(key))))
            {
                return Results.Content(LoginPage(error: true), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }

            http.Response.Cookies.Append(CookieName, Token(key), new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                SameSite = SameSiteMode.Strict,
                Path = "/dashboard",
                MaxAge = TimeSpan.FromHours(8),
            });
            return Results.Redirect("/dashboard");
        }).DisableAntiforgery();
    }

    private static bool SignedIn(HttpContext http, string key) =>
        http.Request.Cookies.TryGetValue(CookieName, out var cookie)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie ?? string.Empty), Encoding.ASCII.GetBytes(Token(key)));

    private static string Token(string key) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "shiogama-dx kpi dashboard"u8));

    private static string LoginPage(bool error) =>
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>KPIダッシュボード サインイン</title><style>body{font-family:sans-serif;margin:2rem;color:#1a1a1a}label,input,button{font-size:1.1rem}"
        + "input{padding:.4rem;margin:.5rem 0;display:block}button{padding:.5rem 1.5rem}.error{color:#7a1010}</style></head><body>"
        + "<h1>KPIダッシュボード</h1>"
        + (error ? "<p class=\"error\" role=\"alert\">運用キーが違います。</p>" : string.Empty)
        + "<form method=\"post\" action=\"/dashboard/login\"><label for=\"key\">運用キー（DX推進係）</label>"
        + "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required><button type=\"submit\">表示する</button></form>"
        + "</body></html>";
}

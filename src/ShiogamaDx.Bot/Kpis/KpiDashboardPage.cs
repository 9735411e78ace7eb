using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// <c>/dashboard</c> for a browser, which cannot send X-Api-Key. Staff sign in with Entra ID when
/// Dashboard:EntraId is configured; otherwise the DX office signs in once with the operations key. Either way
/// the result is the dashboard's own HttpOnly cookie (data-protected; it never holds the key). Off (404) when
/// neither is configured, like the operations API.
/// </summary>
internal static partial class KpiDashboardPage
{
    private const string ExportPath = "/dashboard/export.csv";
    private const string SignOutPath = "/dashboard/signout";

    public static void Map(IEndpointRouteBuilder app)
    {
        var gated = app.MapGroup("/dashboard").AddEndpointFilter(GateAsync);

        gated.MapGet("/", async (HttpContext http, int? fiscalYear, KpiService service, MessageCatalog messages, TimeProvider clock, CancellationToken ct) =>
        {
            var snapshot = await service.SnapshotAsync(ct);
            var links = new DashboardLinks(ExportPath, SignOutPath, http.User.FindFirst("name")?.Value);
            return Results.Content(await DashboardSections.AppendAsync(KpiDashboard.Render(snapshot, messages.Current, fiscalYear ?? service.CurrentFiscalYear, clock, links), http.RequestServices, ct), "text/html; charset=utf-8");
        });

        gated.MapGet("/export.csv", async (KpiService service, CancellationToken ct) => KpiCsv.Export(await service.SnapshotAsync(ct)));

        app.MapGet(SignOutPath, async (HttpContext http, MessageCatalog messages) =>
        {
            await http.SignOutAsync(DashboardSignIn.CookieScheme);
            var texts = messages.Current;
            return Results.Content(
                DashboardPages.Message(texts, texts[KpiTexts.SignedOutTitle], texts[KpiTexts.SignedOutText], "/dashboard", texts[KpiTexts.SignInAgain]), "text/html; charset=utf-8");
        });

        app.MapPost("/dashboard/login", async (HttpContext http, IOptions<AdminOptions> admin, IOptions<DashboardSignInOptions> signIn) =>
        {
            var key = admin.Value.ApiKey;
            if (string.IsNullOrEmpty(key) || signIn.Value.Enabled)
            {
                // With Entra ID configured, the key is no way into the browser page (it stays the operations API's).
                return Results.NotFound();
            }

            var form = await http.Request.ReadFormAsync();
            var given = form["key"].ToString();
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(key))))
            {
                return Results.Content(LoginPage(http.RequestServices.GetRequiredService<MessageCatalog>().Current, error: true), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }

            var identity = new ClaimsIdentity(
                [new Claim(DashboardSignIn.ViaClaim, DashboardSignIn.ViaKey), new Claim(DashboardSignIn.KeyMacClaim, DashboardSignIn.KeyMac(key))],
                DashboardSignIn.ViaKey);
            await http.SignInAsync(DashboardSignIn.CookieScheme, new ClaimsPrincipal(identity));
            return Results.Redirect(ReturnUrl(form["returnUrl"].ToString()));
        }).DisableAntiforgery();
    }

    /// <summary>Signed in with the mode in force, and (Entra ID) of the allowed tenant and role; else sign-in or 403.</summary>
    private static async ValueTask<object?> GateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var signIn = http.RequestServices.GetRequiredService<IOptions<DashboardSignInOptions>>().Value;
        var key = http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey;
        if (!signIn.Enabled && string.IsNullOrEmpty(key))
        {
            return Results.NotFound();
        }

        http.Response.Headers.CacheControl = "no-store";
        var result = await http.AuthenticateAsync(DashboardSignIn.CookieScheme);
        if (!result.Succeeded)
        {
            var here = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
            return signIn.Enabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = here }, [DashboardSignIn.OidcScheme])
                : Results.Content(LoginPage(http.RequestServices.GetRequiredService<MessageCatalog>().Current, error: false, returnUrl: here), "text/html; charset=utf-8");
        }

        // The cookie's own validation already refuses a principal of another mode, tenant or role; checked again
        // here so that a later change of AllowedRoles applies to cookies issued before it.
        if (signIn.Enabled && DashboardSignIn.Refusal(result.Principal!, signIn) is not null)
        {
            await DashboardSignIn.WriteForbiddenAsync(http);
            return Results.Empty;
        }

        http.User = result.Principal!;
        return await next(context);
    }

    /// <summary>
    /// Where to go after signing in: a page of the dashboard, written in safe characters only (no CR/LF for the
    /// Location header, no "//" or "\\" for another host, no "..", no sign-in or sign-out); else the dashboard.
    /// </summary>
    internal static string ReturnUrl(string? given) =>
        given is { Length: <= 512 } && SafeReturnUrl().IsMatch(given)
        && !given.StartsWith("/dashboard/login", StringComparison.OrdinalIgnoreCase) && !given.StartsWith(SignOutPath, StringComparison.OrdinalIgnoreCase)
            ? given
            : "/dashboard";

    [GeneratedRegex(@"^/dashboard(?:/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9]+)?)*/?(?:\?(?:[A-Za-z0-9_.~=&+-]|%[0-9A-Fa-f]{2})*)?\z")]
    private static partial Regex SafeReturnUrl();

    private static string LoginPage(MessageSet texts, bool error, string returnUrl = "/dashboard") =>
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + E(texts[KpiTexts.LoginTitle]) + "</title><style>" + DashboardPages.Style + "</style></head><body><main>"
        + "<h1>" + E(texts[KpiTexts.LoginHeading]) + "</h1>"
        + (error ? "<p class=\"error\" role=\"alert\">" + E(texts[KpiTexts.LoginWrongKey]) + "</p>" : string.Empty)
        + "<form method=\"post\" action=\"/dashboard/login\"><label for=\"key\">" + E(texts[KpiTexts.LoginKeyLabel]) + "</label>"
        + "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required>"
        + "<input type=\"hidden\" name=\"returnUrl\" value=\"" + E(returnUrl) + "\">"
        + "<button type=\"submit\">" + E(texts[KpiTexts.LoginSubmit]) + "</button></form>"
        + "</main></body></html>";

    private static string E(string text) => System.Net.WebUtility.HtmlEncode(text);
}

using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// Sign-in to <c>/dashboard</c> with the city's Entra ID (OpenID Connect, authorization code flow with PKCE).
/// Off while ClientId is empty: the dashboard then asks for the operations key (Admin:ApiKey) instead.
/// Key names follow Microsoft.Identity.Web's "AzureAd" section so IT can copy them from the app registration.
/// </summary>
public sealed class DashboardSignInOptions
{
    public const string SectionName = "Dashboard:EntraId";

    /// <summary>Entra ID's sign-in host; only tests and sovereign clouds change it.</summary>
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>The city's tenant (directory) id. Only people of this tenant get in; "common" and the like are refused.</summary>
    public string? TenantId { get; set; }

    /// <summary>Application (client) id of the dashboard's app registration. Empty: Entra ID sign-in is off.</summary>
    public string? ClientId { get; set; }

    /// <summary>Client secret of the app registration (a "Web" platform registration needs one).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Redirect URI path registered in Entra ID.</summary>
    public string CallbackPath { get; set; } = "/dashboard/signin-oidc";

    /// <summary>App roles (the token's "roles") of which a person needs one. With AllowedGroups both empty: every member of the tenant.</summary>
    public List<string> AllowedRoles { get; set; } = [];

    /// <summary>Group object ids (the token's "groups") of which a person needs one.</summary>
    public List<string> AllowedGroups { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(ClientId);

    public string Authority => Instance.TrimEnd('/') + "/" + TenantId?.Trim() + "/v2.0";
}

internal sealed class DashboardSignInOptionsValidator : IValidateOptions<DashboardSignInOptions>
{
    private static readonly string[] SharedTenants = ["common", "organizations", "consumers"];

    public ValidateOptionsResult Validate(string? name, DashboardSignInOptions options)
    {
        var errors = new List<string>();
        if (!options.Enabled)
        {
            if (!string.IsNullOrWhiteSpace(options.TenantId) || !string.IsNullOrWhiteSpace(options.ClientSecret) || options.AllowedRoles.Count > 0 || options.AllowedGroups.Count > 0)
            {
                errors.Add("Dashboard:EntraId:ClientId is required when any other Dashboard:EntraId setting is given (half a configuration would silently fall back to the operations key).");
            }

            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        if (string.IsNullOrWhiteSpace(options.TenantId))
        {
            errors.Add("Dashboard:EntraId:TenantId is required: only the city's own tenant may sign in.");
        }
        else if (SharedTenants.Contains(options.TenantId.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Dashboard:EntraId:TenantId must be the city's tenant id, not '{options.TenantId}' (that admits people of any organisation).");
        }

        if (!Uri.TryCreate(options.Instance, UriKind.Absolute, out var instance) || (instance.Scheme != Uri.UriSchemeHttps && !(instance.Scheme == Uri.UriSchemeHttp && instance.IsLoopback)))
        {
            errors.Add("Dashboard:EntraId:Instance must be an absolute https URL (http only on loopback, for tests).");
        }

        if (!options.CallbackPath.StartsWith("/dashboard/", StringComparison.Ordinal))
        {
            errors.Add("Dashboard:EntraId:CallbackPath must start with /dashboard/ (where the sign-in cookie lives).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The dashboard's own cookie scheme and, when configured, its OpenID Connect scheme. No default scheme: nothing else changes.</summary>
internal static class DashboardSignIn
{
    public const string CookieScheme = "Dashboard";
    public const string OidcScheme = "DashboardEntraId";

    /// <summary>How the person signed in; a cookie from the other mode (the configuration changed) no longer counts.</summary>
    public const string ViaClaim = "shiogama:via";
    public const string ViaKey = "operations-key";
    public const string ViaEntraId = "entra-id";

    /// <summary>MAC of the operations key the cookie was issued under, so a changed key signs everyone out.</summary>
    public const string KeyMacClaim = "shiogama:key-mac";

    public static IHostApplicationBuilder AddDashboardSignIn(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DashboardSignInOptions>().BindConfiguration(DashboardSignInOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardSignInOptions>, DashboardSignInOptionsValidator>();

        var auth = services.AddAuthentication().AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "shiogama-dashboard";
            o.Cookie.Path = "/dashboard";
            o.Cookie.HttpOnly = true;

            // Lax, not Strict: the way back from Entra ID is a cross-site redirect chain ending on /dashboard.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = false;
            o.Events.OnValidatePrincipal = ValidatePrincipalAsync;
        });

        // The scheme must exist only when configured: the handler is asked about every request's path.
        var configured = builder.Configuration.GetSection(DashboardSignInOptions.SectionName).Get<DashboardSignInOptions>();
        if (configured?.Enabled == true)
        {
            auth.AddOpenIdConnect(OidcScheme, _ => { });
            services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<IOptions<DashboardSignInOptions>>((o, signIn) => Configure(o, signIn.Value));
        }

        return builder;
    }

    private static void Configure(OpenIdConnectOptions o, DashboardSignInOptions s)
    {
        o.SignInScheme = CookieScheme;
        o.Authority = s.Authority;
        o.RequireHttpsMetadata = !new Uri(s.Authority).IsLoopback;
        o.ClientId = s.ClientId!.Trim();
        o.ClientSecret = string.IsNullOrWhiteSpace(s.ClientSecret) ? null : s.ClientSecret;
        o.CallbackPath = s.CallbackPath;
        o.ResponseType = OpenIdConnectResponseType.Code;

        // query, not form_post: the callback is then a top-level GET, which SameSite=Lax cookies survive.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.MapInboundClaims = false;
        o.TokenValidationParameters.NameClaimType = "name";
        o.TokenValidationParameters.RoleClaimType = "roles";
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Events.OnRedirectToIdentityProvider = RedirectToIdentityProviderAsync;
        o.Events.OnTokenValidated = TokenValidatedAsync;
        o.Events.OnRemoteFailure = RemoteFailureAsync;
    }

    /// <summary>Why this person may not see the dashboard, or null when they may.</summary>
    public static string? Refusal(ClaimsPrincipal principal, DashboardSignInOptions options)
    {
        if (!string.Equals(principal.FindFirst("tid")?.Value, options.TenantId?.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return "wrong tenant";
        }

        if (options.AllowedRoles.Count == 0 && options.AllowedGroups.Count == 0)
        {
            return null;
        }

        var roles = principal.FindAll("roles").Select(c => c.Value);
        var groups = principal.FindAll("groups").Select(c => c.Value);
        return roles.Any(r => options.AllowedRoles.Contains(r, StringComparer.Ordinal)) || groups.Any(g => options.AllowedGroups.Contains(g, StringComparer.OrdinalIgnoreCase))
            ? null
            : "no allowed role or group";
    }

    /// <summary>
    /// Behind a reverse proxy that ends TLS the request says http://internal-host; the redirect URI registered in
    /// Entra ID is the public one, known from Kpis:DashboardUrl when set.
    /// </summary>
    private static Task RedirectToIdentityProviderAsync(RedirectContext context)
    {
        var link = context.HttpContext.RequestServices.GetRequiredService<IOptions<KpiOptions>>().Value.DashboardLink;
        if (link is not null && Uri.TryCreate(link, UriKind.Absolute, out var uri))
        {
            var path = uri.AbsolutePath;
            var at = path.LastIndexOf("/dashboard", StringComparison.Ordinal);
            var basePath = at >= 0 ? path[..at] : string.Empty;
            context.ProtocolMessage.RedirectUri = uri.GetLeftPart(UriPartial.Authority) + basePath + context.Options.CallbackPath;
        }

        return Task.CompletedTask;
    }

    private static async Task TokenValidatedAsync(TokenValidatedContext context)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<DashboardSignInOptions>>().Value;
        var principal = context.Principal;
        var refusal = principal is null ? "no identity" : Refusal(principal, options);
        if (principal is null || refusal is not null)
        {
            // Refused before any cookie is issued: a person of another tenant or without the role gets nothing to reuse.
            Logger(context.HttpContext).LogWarning("Dashboard sign-in refused: {Reason}", refusal);
            context.HandleResponse();
            await WriteForbiddenAsync(context.HttpContext);
            return;
        }

        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(ViaClaim, ViaEntraId));
        Logger(context.HttpContext).LogInformation("Dashboard sign-in with Entra ID");
    }

    private static async Task RemoteFailureAsync(RemoteFailureContext context)
    {
        // An expired or replayed callback, or the person cancelled at Entra ID: say so instead of a 500.
        Logger(context.HttpContext).LogWarning("Dashboard sign-in failed: {Failure}", context.Failure?.Message);
        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/html; charset=utf-8";
        var texts = context.HttpContext.RequestServices.GetRequiredService<MessageCatalog>().Current;
        await context.Response.WriteAsync(DashboardPages.Message(texts, texts[KpiTexts.SignInFailedTitle], texts[KpiTexts.SignInFailedText], "/dashboard", texts[KpiTexts.SignInAgain]));
    }

    public static async Task WriteForbiddenAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        var texts = http.RequestServices.GetRequiredService<MessageCatalog>().Current;
        await http.Response.WriteAsync(DashboardPages.Message(texts, texts[KpiTexts.ForbiddenTitle], texts[KpiTexts.ForbiddenText], null, null));
    }

    private static Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var signIn = services.GetRequiredService<IOptions<DashboardSignInOptions>>().Value;
        var key = services.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey;
        var principal = context.Principal;
        var valid = principal?.FindFirst(ViaClaim)?.Value switch
        {
            ViaEntraId => signIn.Enabled && Refusal(principal, signIn) is null,
            ViaKey => !signIn.Enabled && !string.IsNullOrEmpty(key) && principal.FindFirst(KeyMacClaim)?.Value == KeyMac(key),
            _ => false,
        };
        if (!valid)
        {
            context.RejectPrincipal();
        }

        return Task.CompletedTask;
    }

    public static string KeyMac(string key) =>
        Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key), "shiogama-dx kpi dashboard"u8));

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ShiogamaDx.Bot.Kpis.Dashboard");
}

/// <summary>The small pages around the dashboard (sign-in, refusal, failure), in the dashboard's look.</summary>
internal static class DashboardPages
{
    public const string Style =
        "body{font-family:\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",Meiryo,sans-serif;margin:1.5rem;color:#1a1a1a;background:#fff;line-height:1.6;font-size:1.05rem}"
        + "h1{font-size:1.4rem}label,input,button{font-size:1.1rem}input{padding:.5rem;margin:.5rem 0;display:block;width:100%;max-width:22rem;box-sizing:border-box}"
        + "button,a.button{display:inline-block;padding:.6rem 1.5rem;background:#1a4d8f;color:#fff;border:0;border-radius:6px;text-decoration:none}.error{color:#7a1010;font-weight:bold}";

    /// <summary>Every inline style sheet of the dashboard's pages, for the CSP (SecurityHeaders).</summary>
    public static IReadOnlyList<string> InlineStyles => [Style, KpiDashboard.Style];

    public static string Message(MessageSet texts, string title, string text, string? href, string? linkText) =>
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + WebUtility.HtmlEncode(texts.Format(KpiTexts.PageTitle, title)) + "</title><style>" + Style + "</style></head><body><main>"
        + "<h1>" + WebUtility.HtmlEncode(title) + "</h1><p>" + WebUtility.HtmlEncode(text) + "</p>"
        + (href is null ? string.Empty : "<p><a class=\"button\" href=\"" + WebUtility.HtmlEncode(href) + "\">" + WebUtility.HtmlEncode(linkText ?? href) + "</a></p>")
        + "</main></body></html>";
}

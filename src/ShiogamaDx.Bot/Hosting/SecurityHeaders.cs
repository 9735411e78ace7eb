using System.Security.Cryptography;
using System.Text;

namespace ShiogamaDx.Bot.Hosting;

/// <summary>
/// Headers on every answer, errors included: no MIME sniffing, no referrer, not framed, and a Content-Security-Policy
/// under which nothing runs and nothing loads but the host's own pages' inline style sheets, each allowed by hash.
/// The pages have no script: a script injected into one would not run.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IEnumerable<string> inlineStyles)
    {
        var policy = ContentSecurityPolicy(inlineStyles);
        return app.Use((http, next) =>
        {
            // At the start of the response, so an error answer written later carries them too; an endpoint's own value stays.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.TryAdd("Content-Security-Policy", policy);
                headers.TryAdd("X-Content-Type-Options", "nosniff");
                headers.TryAdd("Referrer-Policy", "no-referrer");
                headers.TryAdd("X-Frame-Options", "DENY"); // frame-ancestors for browsers without CSP level 2
                return Task.CompletedTask;
            });
            return next(http);
        });
    }

    public static string ContentSecurityPolicy(IEnumerable<string> inlineStyles) =>
        "default-src 'none'; style-src " + string.Join(' ', inlineStyles.Distinct(StringComparer.Ordinal).Select(StyleHash))
        + "; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The CSP source of one inline &lt;style&gt; element: the SHA-256 of its exact text.</summary>
    public static string StyleHash(string style) => "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style))) + "'";
}

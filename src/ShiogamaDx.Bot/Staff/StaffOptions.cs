using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ShiogamaDx.Bot.Staff;

public sealed class StaffOptions
{
    public const string SectionName = "Staff";

    /// <summary>The Azure Bot's Microsoft App ID (audience of inbound tokens, client id of outbound ones). Empty: channel off.</summary>
    public string? MicrosoftAppId { get; set; }

    public string? MicrosoftAppPassword { get; set; }

    /// <summary>Set for a single-tenant app: tokens are then requested from, and accepted from, this tenant.</summary>
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>
    /// Entra ID tenants whose people may use the bot (Teams reports each activity's tenant). Empty: the app's
    /// own tenant when <see cref="MicrosoftAppTenantId"/> is set, else any tenant.
    /// </summary>
    public List<string> AllowedTenantIds { get; set; } = [];

    /// <summary>Local emulator and tests only: accept activities without a token. Refused in Production.</summary>
    public bool AllowUnauthenticated { get; set; }

    [Required]
    [Url]
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>Metadata of the Entra ID tenant for a single-tenant app; {tenant} is replaced.</summary>
    [Required]
    public string EntraOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration";

    [Required]
    [Url]
    public string Authority { get; set; } = "https://login.microsoftonline.com";

    /// <summary>Overrides the token endpoint derived from <see cref="Authority"/> and the tenant.</summary>
    public string? TokenEndpoint { get; set; }

    [Required]
    public string Scope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>Hosts besides the Bot Framework's own that may receive the bot's token ("host" or "*.domain").</summary>
    public List<string> AllowedServiceUrlHosts { get; set; } = [];

    /// <summary>How long an answer may take before a typing indicator is sent.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan TypingDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the outbox is checked for staff messages due later or written by another replica (one committed here wakes it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>False for an activity from a tenant that is not the city's; activities without a tenant (Web Chat) pass.</summary>
    public bool IsTenantAllowed(string? tenantId)
    {
        var allowed = AllowedTenantIds.Count > 0 ? AllowedTenantIds : string.IsNullOrWhiteSpace(MicrosoftAppTenantId) ? [] : [MicrosoftAppTenantId];
        return tenantId is null || allowed.Count == 0 || allowed.Contains(tenantId, StringComparer.OrdinalIgnoreCase);
    }

    public bool HasAppId => !string.IsNullOrWhiteSpace(MicrosoftAppId);

    public bool Enabled => HasAppId || AllowUnauthenticated;

    public string ResolvedTokenEndpoint => !string.IsNullOrWhiteSpace(TokenEndpoint)
        ? TokenEndpoint
        : $"{Authority.TrimEnd('/')}/{(string.IsNullOrWhiteSpace(MicrosoftAppTenantId) ? "botframework.com" : MicrosoftAppTenantId)}/oauth2/v2.0/token";
}

/// <summary>Unsigned activities in Production would let anyone on the internet speak as staff.</summary>
internal sealed class StaffOptionsValidator(IHostEnvironment environment) : IValidateOptions<StaffOptions>
{
    public ValidateOptionsResult Validate(string? name, StaffOptions options)
    {
        if (options.AllowUnauthenticated && environment.IsProduction())
        {
            return ValidateOptionsResult.Fail("Staff:AllowUnauthenticated must not be set in Production: it accepts unsigned activities.");
        }

        if (options.HasAppId && string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
        {
            return ValidateOptionsResult.Fail("Staff:MicrosoftAppPassword is required with Staff:MicrosoftAppId (the bot needs it to answer).");
        }

        if (!string.IsNullOrWhiteSpace(options.TokenEndpoint) && !Uri.TryCreate(options.TokenEndpoint, UriKind.Absolute, out _))
        {
            return ValidateOptionsResult.Fail("Staff:TokenEndpoint must be an absolute URL.");
        }

        return ValidateOptionsResult.Success;
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ShiogamaDx.Bot.Conversations;

/// <summary>
/// Button data in the form <c>h=handler&amp;a=action&amp;k=v</c>. The engine signs every postback it sends
/// (<c>&amp;sig=…</c>) and rejects one whose signature does not match, so a client cannot forge or alter
/// a registration or survey answer. Kept short: LINE allows 300 characters.
/// </summary>
public sealed record Postback(string Handler, string Action, IReadOnlyDictionary<string, string> Args)
{
    private const int SignatureBytes = 9; // 12 base64url chars: enough against guessing, cheap in 300 chars

    public string? this[string key] => Args.TryGetValue(key, out var v) ? v : null;

    public static string Create(string handler, string action, params (string Key, string Value)[] args)
    {
        var sb = new StringBuilder();
        sb.Append("h=").Append(Uri.EscapeDataString(handler)).Append("&a=").Append(Uri.EscapeDataString(action));
        foreach (var (key, value) in args)
        {
            sb.Append('&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return sb.ToString();
    }

    public static bool LooksLikePostback(string? data) => data is not null && data.StartsWith("h=", StringComparison.Ordinal);

    internal static string Sign(string data, byte[] key)
    {
        if (!LooksLikePostback(data) || data.Contains("&sig=", StringComparison.Ordinal))
        {
            return data;
        }

        return data + "&sig=" + Mac(data, key);
    }

    /// <summary>Parses and verifies signed data; null when it is malformed, unsigned or tampered with.</summary>
    internal static Postback? Verify(string? data, byte[] key)
    {
        if (!LooksLikePostback(data) || data!.Length > 1_000)
        {
            return null;
        }

        var at = data.LastIndexOf("&sig=", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var body = data[..at];
        var expected = Encoding.ASCII.GetBytes(Mac(body, key));
        var actual = Encoding.ASCII.GetBytes(data[(at + 5)..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return null;
        }

        var query = QueryHelpers.ParseQuery("?" + body);
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in query)
        {
            args[k] = v.ToString();
        }

        if (!args.Remove("h", out var handler) || !args.Remove("a", out var action) || handler.Length == 0)
        {
            return null;
        }

        return new Postback(handler, action, args);
    }

    private static string Mac(string data, byte[] key)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data), hash);
        return Base64UrlTextEncoder.Encode(hash[..SignatureBytes].ToArray());
    }
}

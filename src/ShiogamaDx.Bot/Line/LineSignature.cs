using System.Security.Cryptography;
using System.Text;

namespace ShiogamaDx.Bot.Line;

/// <summary>X-Line-Signature: base64 of HMAC-SHA256 over the raw body bytes with the channel secret.</summary>
internal static class LineSignature
{
    public static string Compute(string channelSecret, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channelSecret), body));

    public static bool IsValid(string? signature, ReadOnlySpan<byte> body, params string?[] secrets)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(signature, given, out var length) || length != 32)
        {
            return false;
        }

        var valid = false;
        Span<byte> expected = stackalloc byte[32];
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
            // Every secret is checked (no early exit) so timing says nothing about which one matched.
            valid |= CryptographicOperations.FixedTimeEquals(expected, given[..32]);
        }

        return valid;
    }
}

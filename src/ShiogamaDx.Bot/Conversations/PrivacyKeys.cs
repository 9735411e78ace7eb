using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;

namespace ShiogamaDx.Bot.Conversations;

public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>Secret for pseudonymising user ids and signing postbacks. Same value on every replica.</summary>
    public string? Key { get; set; }

    /// <summary>Where a generated key is kept when <see cref="Key"/> is not set (single-machine default).</summary>
    [Required]
    public string KeyFile { get; set; } = "data/privacy.key";
}

/// <summary>
/// Keyed hashes so that a LINE user id is never stored where identity is not needed, and so that postback
/// data cannot be forged. A keyed hash (not a plain one) because LINE ids are guessable in format.
/// </summary>
public sealed class PrivacyKeys
{
    private readonly byte[] pseudonymKey;

    public PrivacyKeys(byte[] masterKey)
    {
        pseudonymKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "pseudonym"u8.ToArray());
        PostbackKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "postback"u8.ToArray());
    }

    public byte[] PostbackKey { get; }

    /// <summary>Stable pseudonym for an id of a channel, e.g. ("line", "U4af4980629…").</summary>
    public string Pseudonymize(string channel, string id)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(pseudonymKey, Encoding.UTF8.GetBytes(channel + ":" + id), hash);
        return channel + "-" + Convert.ToHexStringLower(hash[..16]);
    }

    public static PrivacyKeys FromOptions(PrivacyOptions options, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.Key))
        {
            return new PrivacyKeys(Encoding.UTF8.GetBytes(options.Key));
        }

        var path = Path.GetFullPath(options.KeyFile, dataDirectory);
        if (File.Exists(path))
        {
            return new PrivacyKeys(Convert.FromBase64String(File.ReadAllText(path).Trim()));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(key));
        return new PrivacyKeys(key);
    }
}

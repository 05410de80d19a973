using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Incentives.Utility;

namespace Incentives.Ledger;

/// <summary>
/// Links entries into hash chains: each resident's chain (an entry carries the hash of that resident's previous one)
/// and one ledger-wide chain in entry-id order (each entry also stores the running ledger hash). From
/// <see cref="KeyedFrom"/> on, both are HMAC-SHA256 under a secret kept beside the data file, so editing an entry and
/// re-linking the chains without the secret is detected; entries written before keying existed keep their plain
/// SHA-256 (and are verified as such; an entry at or after <see cref="KeyedFrom"/> is never accepted unkeyed).
/// </summary>
internal sealed class LedgerKey(byte[] secret, long keyedFrom)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The first entry id hashed with the key.</summary>
    public long KeyedFrom { get; } = keyedFrom;

    public string EntryHash(JournalEntry entry)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(entry with { Hash = string.Empty }, JsonSetup.Options);
        var input = Encoding.UTF8.GetBytes(entry.PreviousHash + "\n" + body);
        return Convert.ToHexStringLower(entry.Id.Value >= KeyedFrom ? HMACSHA256.HashData(secret, input) : SHA256.HashData(input));
    }

    /// <summary>The ledger-wide running hash after <paramref name="entryId"/> (whose own hash is <paramref name="entryHash"/>).</summary>
    public string LedgerHash(string previous, long entryId, string entryHash) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(previous + "|" + entryId.ToString(CultureInfo.InvariantCulture) + "|" + entryHash)));

    /// <summary>The hash of a governance record's step: HMAC over the previous step's hash, the record and the step.</summary>
    public string StepHash(string previous, long record, string step) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(previous + "|record " + record.ToString(CultureInfo.InvariantCulture) + "|" + step)));

    /// <summary>Reads the key file, or creates one (32 random bytes, readable by the owner only).</summary>
    public static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(secret);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path);
        return secret;
    }
}

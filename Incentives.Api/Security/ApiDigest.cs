using System.Security.Cryptography;
using System.Text;

namespace Incentives.Api.Security;

/// <summary>A fingerprint of what <c>api.db</c> holds that a restore must bring back: every API key (hash, role, scope,
/// revoked) and every kiosk card (resident, PIN hash). Equal for a backup and its source.</summary>
internal static class ApiDigest
{
    public static string Of(ApiStore store) => store.Read(() =>
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var k in store.Keys.FindAll().OrderBy(k => k.Id, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"key|{k.Id}|{k.Hash}|{k.Role}|{k.Scope}|{k.Revoked}\n"));
        }

        foreach (var c in store.Cards.FindAll().OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"card|{c.Id}|{c.Resident}|{c.PinHash}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    });
}

using System.Security.Cryptography;
using System.Text;

namespace Incentives.Api.Security;

/// <summary>A fingerprint of what <c>api.db</c> holds that a restore must bring back: every API key (hash, role, scope,
/// revoked), every kiosk card (resident, PIN hash) and every staff account (person, role, community, password hash,
/// disabled; not the failure count, which moves with every wrong password). Equal for a backup and its source.</summary>
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

        foreach (var m in store.Staff.FindAll().OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"staff|{m.Id}|{m.Name}|{m.StaffRole}|{m.Community}|{m.PasswordHash}|{m.Disabled}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    });
}

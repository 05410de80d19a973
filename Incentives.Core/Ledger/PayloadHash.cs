using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Incentives.Utility;

namespace Incentives.Ledger;

/// <summary>Fingerprints of what a command asked for, to tell a replay (same key, same payload) from a conflict.</summary>
internal static class PayloadHash
{
    // The act joins the fingerprint only when named, so keys recorded before acts existed still replay.
    public static string Of(AwardRequest r) => r.ActId is null
        ? Hash("award", r.Resident.Value, r.Indicator.Value, Quantity(r.Quantity),
            r.OccurredAt?.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture), r.RecordedBy, r.Evidence)
        : Hash("award", r.Resident.Value, r.Indicator.Value, Quantity(r.Quantity),
            r.OccurredAt?.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture), r.RecordedBy, r.Evidence, "act", r.ActId);

    public static string Of(ReversalRequest r) => Hash("reverse", r.Entry.ToString(), r.Reason, r.RecordedBy);

    public static string Of(AdjustmentRequest r) =>
        Hash("adjust", r.Resident.Value, r.Points.ToString(CultureInfo.InvariantCulture), r.Reason, r.RecordedBy);

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // 2.5 and 2.50 are the same quantity.
    private static string Quantity(decimal q) => q.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Hash(params string?[] parts) => Sha256(string.Join('\u001f', parts.Select(p => p ?? "\u0000")));
}

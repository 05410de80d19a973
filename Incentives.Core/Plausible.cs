using NodaTime;

namespace Incentives;

/// <summary>
/// The range of instants the engine accepts from callers: from 1900-01-01 to 2200-01-01 (UTC). Anything outside is
/// a typing mistake or an attack, and some of it (NodaTime's own limits) could not even be written to the command
/// log and read back. Checked at the API's boundary and again at the engine's, before anything is logged.
/// </summary>
public static class Plausible
{
    /// <summary>The earliest instant accepted.</summary>
    public static readonly Instant Earliest = Instant.FromUtc(1900, 1, 1, 0, 0);

    /// <summary>The first instant no longer accepted.</summary>
    public static readonly Instant End = Instant.FromUtc(2200, 1, 1, 0, 0);

    /// <summary>Whether an instant is within the accepted range.</summary>
    /// <param name="value">The instant.</param>
    /// <returns>True for <see cref="Earliest"/> ≤ value &lt; <see cref="End"/>.</returns>
    public static bool Contains(Instant value) => value >= Earliest && value < End;

    internal static Rules.Refusal? Check(Instant? value, string field) =>
        value is { } v && !Contains(v)
            ? new Rules.Refusal(Rules.RefusalCode.InvalidArgument, field, $"'{field}' must be between 1900-01-01 and 2200-01-01, found {v}",
                $"'{field}' 须在 1900-01-01 与 2200-01-01 之间, 实为 {v}")
            : null;

    internal static void Require(Instant? value, string parameter)
    {
        if (value is { } v && !Contains(v))
        {
            throw new ArgumentOutOfRangeException(parameter, $"{v} is outside 1900-01-01 – 2200-01-01");
        }
    }
}

/// <summary>A consistent copy of the data folder's ledger files.</summary>
/// <param name="Directory">Where the copy is.</param>
/// <param name="Files">The files copied.</param>
/// <param name="LastEntryId">The last journal entry in the copy.</param>
/// <param name="Digest">The digest of the state copied (<see cref="IncentivesEngine.Digest"/>).</param>
/// <param name="TakenAt">When.</param>
public sealed record BackupResult(string Directory, IReadOnlyList<string> Files, long LastEntryId, string Digest, Instant TakenAt);

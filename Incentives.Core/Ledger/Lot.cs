using NodaTime;

namespace Incentives.Ledger;

/// <summary>
/// A lot (积分批次): the points of one credit to a resident's balance, with the instant they expire. Spending draws
/// lots soonest-expiry first; a reservation holds specific lots and a cancellation gives the same lots back.
/// </summary>
/// <param name="Id">The lot's id: the id of the entry that created it.</param>
/// <param name="Original">Points the lot started with.</param>
/// <param name="Remaining">Points still available in it.</param>
/// <param name="Held">Points of it held by open reservations.</param>
/// <param name="ExpiresAt">When its remaining points expire; null for never.</param>
/// <param name="Expired">Whether the expiry run has expired it.</param>
/// <param name="Spent">Points of it handed over in the mall (redeemed).</param>
/// <param name="ExpiredPoints">Points of it that expired.</param>
/// <param name="Debited">Points of it taken by deductions, negative adjustments and reversals.</param>
/// <remarks>Always <c>Original == Remaining + Held + Spent + ExpiredPoints + Debited</c>, and none is negative.</remarks>
public sealed record Lot(EntryId Id, long Original, long Remaining, long Held, Instant? ExpiresAt, bool Expired,
    long Spent = 0, long ExpiredPoints = 0, long Debited = 0);

/// <summary>Points of one lot held by a reservation.</summary>
/// <param name="Lot">The lot.</param>
/// <param name="Amount">How many of its points.</param>
public sealed record LotAllocation(long Lot, long Amount);

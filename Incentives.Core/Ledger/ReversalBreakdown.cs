namespace Incentives.Ledger;

/// <summary>
/// What a reversal (冲正) took back, and from where. The policy: a reversal of points takes back the reversed entry's
/// own lot first (so the reversed points never outlive it); what that lot no longer has because it was redeemed or
/// taken by a deduction is taken from the resident's other available points, soonest expiry first; what even those
/// cannot cover is recorded as uncovered (not owed). Points of the lot that had already expired are not taken twice.
/// A reversal never touches held points: while a reservation holds points of the lot, it is refused with the pickup
/// codes to cancel first. A reversal of a deduction gives the points back to the lots they were taken from; points
/// that land in a lot expired meanwhile expire at once.
/// </summary>
/// <param name="FromOwnLot">Taken from the reversed entry's own lot.</param>
/// <param name="FromOtherLots">Taken from the resident's other lots.</param>
/// <param name="Uncovered">Could not be taken: already redeemed or deducted, with nothing left to cover it.</param>
/// <param name="AlreadyExpired">Had expired from the lot before the reversal, so was not taken again.</param>
/// <param name="ReturnedExpired">For a reversed deduction: points given back to lots that had expired meanwhile, and
/// so expired at once (a separate expiry entry follows).</param>
public sealed record ReversalBreakdown(long FromOwnLot, long FromOtherLots, long Uncovered, long AlreadyExpired, long ReturnedExpired);

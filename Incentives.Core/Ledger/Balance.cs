namespace Incentives.Ledger;

/// <summary>
/// A resident's materialised balance (积分余额). <c>Available + Pending + Reserved</c> always equals the sum of the
/// resident's journal entries, and no component is ever negative.
/// </summary>
/// <param name="Available">Spendable now.</param>
/// <param name="Pending">Awarded but still in public posting (公示).</param>
/// <param name="Reserved">Held by open mall reservations.</param>
/// <param name="LifetimeEarned">Everything ever awarded, less reversed awards.</param>
public sealed record Balance(long Available, long Pending, long Reserved, long LifetimeEarned)
{
    /// <summary>A balance of zero.</summary>
    public static Balance Zero { get; } = new(0, 0, 0, 0);

    /// <summary>Awards submitted and waiting for approval (审核中): shown, never spendable, not yet in the journal.</summary>
    public long Submitted { get; init; }

    /// <summary>Available + pending + reserved: what the journal adds up to.</summary>
    public long Total => checked(Available + Pending + Reserved);
}

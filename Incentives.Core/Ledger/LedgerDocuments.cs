namespace Incentives.Ledger;

// The ledger's stored shapes: plain mutable classes a store adapter maps without help. Scalar fields exist to be
// indexed and queried; the domain value lives whole in Json where it has more structure than the store should know.

internal sealed class CommunityDoc
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Zone { get; set; } = string.Empty;
}

internal sealed class ResidentDoc
{
    public string Id { get; set; } = string.Empty;

    public string Community { get; set; } = string.Empty;

    public string DisplayName { get; set; } = string.Empty;

    public int Status { get; set; }

    public long RegisteredAt { get; set; }

    /// <summary>The year of birth, when known: the only age data kept (no deductions for minors under 14).</summary>
    public int? BirthYear { get; set; }
}

/// <summary>A resident's account, and what only the writer mutates about them, in one document, so an award writes
/// its entry, this and its lot and nothing else: the balance and chain head, the cap counters of the periods in use,
/// the offences that make a later deduction a repeat, and the records of each named act.</summary>
internal sealed class AccountDoc
{
    public string Id { get; set; } = string.Empty;

    public long Available { get; set; }

    public long Pending { get; set; }

    public long Reserved { get; set; }

    /// <summary>Awards submitted and not yet approved (审核中): shown, counted nowhere, not part of the journal's sum.</summary>
    public long Submitted { get; set; }

    public long LifetimeEarned { get; set; }

    public long Sequence { get; set; }

    public string LastHash { get; set; } = string.Empty;

    /// <summary>"scope|period" → points (or hundredths of an hour for scope "hours").</summary>
    public Dictionary<string, long> Counters { get; set; } = new(StringComparer.Ordinal);

    public List<OffenceRecord> Offences { get; set; } = [];

    public List<ActDoc> Acts { get; set; } = [];
}

/// <summary>An unreversed deduction (or warning): its day and the first day (yyyymmdd) it no longer makes another a
/// repeat.</summary>
internal sealed class OffenceRecord
{
    /// <summary>A recorded warning (0 points): it makes the next offence deduct, never a repeat.</summary>
    public bool Warning { get; set; }

    public long Entry { get; set; }

    public string Indicator { get; set; } = string.Empty;

    public int Day { get; set; }

    public int Until { get; set; }
}

/// <summary>The records of one act (一事), in the order they were recorded; the act is worth the sum of what they paid.</summary>
internal sealed class ActDoc
{
    public string Id { get; set; } = string.Empty;

    public List<ActRecordDoc> Records { get; set; } = [];
}

internal sealed class EntryDoc
{
    public long Id { get; set; }

    public string Resident { get; set; } = string.Empty;

    public long Sequence { get; set; }

    public int Kind { get; set; }

    public long OccurredAt { get; set; }

    public long Points { get; set; }

    public string Json { get; set; } = string.Empty;

    /// <summary>The ledger-wide running hash after this entry (empty for entries from before keyed chains).</summary>
    public string LedgerHash { get; set; } = string.Empty;

    /// <summary>The scoped idempotency key that made it ("award:…"), indexed: the entry is its own idempotency record.</summary>
    public string? Key { get; set; }

    /// <summary>The fingerprint of the request under <see cref="Key"/>: the same key with another payload is a conflict.</summary>
    public string? PayloadHash { get; set; }
}

internal sealed class ActRecordDoc
{
    public long Entry { get; set; }

    public string Indicator { get; set; } = string.Empty;

    public long Paid { get; set; }

    public int PaidCredit { get; set; }
}

internal sealed class ReversalDoc
{
    public long Id { get; set; }

    public long ReversalEntryId { get; set; }
}

internal sealed class CatalogDoc
{
    public string Id { get; set; } = string.Empty;

    public long Order { get; set; }

    public byte[] Canonical { get; set; } = [];
}

internal sealed class LotDoc
{
    public long Id { get; set; }

    public string Resident { get; set; } = string.Empty;

    public long Original { get; set; }

    public long Remaining { get; set; }

    public long Held { get; set; }

    public long ExpiresAt { get; set; }

    public bool Expired { get; set; }

    /// <summary>When the expiry run is due for this lot: its expiry while not expired, then never (long.MaxValue), so
    /// finding due lots costs the due ones only, whatever the history.</summary>
    public long DueAt { get; set; }

    public long Spent { get; set; }

    public long ExpiredPoints { get; set; }

    public long Debited { get; set; }
}

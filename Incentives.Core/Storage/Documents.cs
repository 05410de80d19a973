namespace Incentives.Storage;

// Storage shapes: plain mutable classes LiteDB maps without help. Scalar fields exist to be indexed and queried;
// the domain value lives whole in Json where it has more structure than LiteDB should know about.

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
}

internal sealed class AccountDoc
{
    public string Id { get; set; } = string.Empty;

    public long Available { get; set; }

    public long Pending { get; set; }

    public long Reserved { get; set; }

    public long LifetimeEarned { get; set; }

    public long Sequence { get; set; }

    public string LastHash { get; set; } = string.Empty;
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
}

internal sealed class CounterDoc
{
    public string Id { get; set; } = string.Empty;

    public long Used { get; set; }
}

internal sealed class OffenceDoc
{
    public long Id { get; set; }

    public string Key { get; set; } = string.Empty;

    public int Day { get; set; }

    /// <summary>The first day (yyyymmdd) the offence no longer makes another a repeat; 0 in stores older than the field.</summary>
    public int Until { get; set; }
}

/// <summary>The records of one act (一事), in the order they were recorded; the act is worth the sum of what they paid.</summary>
internal sealed class ActDoc
{
    /// <summary>"resident|act".</summary>
    public string Id { get; set; } = string.Empty;

    public List<ActRecordDoc> Records { get; set; } = [];
}

internal sealed class ActRecordDoc
{
    public long Entry { get; set; }

    public string Indicator { get; set; } = string.Empty;

    public long Paid { get; set; }

    public int PaidCredit { get; set; }
}

internal sealed class IdempotencyDoc
{
    public string Id { get; set; } = string.Empty;

    public string PayloadHash { get; set; } = string.Empty;

    public long EntryId { get; set; }

    /// <summary>For results identified by a string (a resident id); empty otherwise.</summary>
    public string Ref { get; set; } = string.Empty;
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

internal sealed class MetaDoc
{
    public string Id { get; set; } = string.Empty;

    public long Value { get; set; }

    public string Text { get; set; } = string.Empty;
}

internal sealed class CreditRecordDoc
{
    public long Id { get; set; }

    public string Resident { get; set; } = string.Empty;

    public long Entry { get; set; }

    public string Json { get; set; } = string.Empty;
}

internal sealed class CreditAccountDoc
{
    public string Id { get; set; } = string.Empty;

    public long Score { get; set; }

    public string Tier { get; set; } = string.Empty;

    public long CappedBy { get; set; }

    public string CatalogHash { get; set; } = string.Empty;

    public long ComputedAt { get; set; }

    public long NextChange { get; set; }
}

internal sealed class ConsentEventDoc
{
    public long Id { get; set; }

    public string Resident { get; set; } = string.Empty;

    public bool Granted { get; set; }

    public long At { get; set; }

    public string By { get; set; } = string.Empty;
}

internal sealed class VolunteerHoursDoc
{
    public long Id { get; set; }

    public string Resident { get; set; } = string.Empty;

    public string Json { get; set; } = string.Empty;
}

internal sealed class EligibilityDoc
{
    public string Id { get; set; } = string.Empty;

    public string Json { get; set; } = string.Empty;
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

    public long Spent { get; set; }

    public long ExpiredPoints { get; set; }

    public long Debited { get; set; }
}

internal sealed class StoreDoc
{
    public string Id { get; set; } = string.Empty;

    public string Community { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;
}

internal sealed class ItemDoc
{
    /// <summary>"store|sku".</summary>
    public string Id { get; set; } = string.Empty;

    public string Store { get; set; } = string.Empty;

    public string Json { get; set; } = string.Empty;

    public long Stock { get; set; }

    public long Held { get; set; }

    public long Handed { get; set; }

    public long Received { get; set; }
}

internal sealed class StockChangeDoc
{
    public long Id { get; set; }

    public string Item { get; set; } = string.Empty;

    public string Json { get; set; } = string.Empty;
}

internal sealed class ReservationDoc
{
    public long Id { get; set; }

    /// <summary>"store|code", unique.</summary>
    public string Code { get; set; } = string.Empty;

    public string Resident { get; set; } = string.Empty;

    public int Status { get; set; }

    public long ExpiresAt { get; set; }

    public string Json { get; set; } = string.Empty;
}

internal sealed class LoanDoc
{
    public long Id { get; set; }

    public long Reservation { get; set; }

    public string Resident { get; set; } = string.Empty;

    public bool Open { get; set; }

    public long DueAt { get; set; }

    public bool Flagged { get; set; }

    public string Json { get; set; } = string.Empty;
}

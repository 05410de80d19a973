namespace Incentives.Mall;

// The mall's stored shapes (see Ledger/LedgerDocuments.cs for the conventions).

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

    /// <summary>When the hold lapses while open, then never (long.MaxValue): the due-work index covers open holds only.</summary>
    public long HoldUntil { get; set; }

    public string Json { get; set; } = string.Empty;
}

internal sealed class LoanDoc
{
    public long Id { get; set; }

    public long Reservation { get; set; }

    public string Resident { get; set; } = string.Empty;

    public bool Open { get; set; }

    public long DueAt { get; set; }

    /// <summary>When the overdue check is due while open and not yet flagged, then never (long.MaxValue).</summary>
    public long CheckAt { get; set; }

    public bool Flagged { get; set; }

    public string Json { get; set; } = string.Empty;
}

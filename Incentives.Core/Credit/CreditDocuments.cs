namespace Incentives.Credit;

// Credit's stored shapes (see Ledger/LedgerDocuments.cs for the conventions).

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

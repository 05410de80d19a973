namespace Incentives.Governance;

// The governance loop's stored shapes (see Ledger/LedgerDocuments.cs for the conventions): scalar fields to index and
// query, the domain value whole in Json.

/// <summary>A record in the loop (审核/公示). <see cref="DueAt"/> is the posting's end while it is pending, else never,
/// so the due-work job finds the postings to confirm from the index alone.</summary>
internal sealed class GovernanceRecordDoc
{
    public long Id { get; set; }

    public string Resident { get; set; } = string.Empty;

    public string Community { get; set; } = string.Empty;

    public int Status { get; set; }

    public long DueAt { get; set; }

    /// <summary>The award or deduction entry once one exists (0 before).</summary>
    public long Entry { get; set; }

    public string Json { get; set; } = string.Empty;
}

/// <summary>An appeal (复核). <see cref="Target"/> is "entry:N" or "credit:N", so one open appeal per target is found by index.</summary>
internal sealed class AppealDoc
{
    public long Id { get; set; }

    public string Resident { get; set; } = string.Empty;

    public string Community { get; set; } = string.Empty;

    public string Target { get; set; } = string.Empty;

    public int Status { get; set; }

    public string Json { get; set; } = string.Empty;
}

/// <summary>Points a staff member issued through the loop on one local day: "staff|yyyy-MM-dd".</summary>
internal sealed class BudgetDoc
{
    public string Id { get; set; } = string.Empty;

    public long Points { get; set; }
}

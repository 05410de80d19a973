namespace Incentives.Storage;

// Shapes the store keeps for itself: named sequences and settings, and idempotency records of commands whose result
// is not a journal entry (entries carry their own key).

internal sealed class IdempotencyDoc
{
    public string Id { get; set; } = string.Empty;

    public string PayloadHash { get; set; } = string.Empty;

    public long EntryId { get; set; }

    /// <summary>For results identified by a string (a resident id); empty otherwise.</summary>
    public string Ref { get; set; } = string.Empty;
}

internal sealed class MetaDoc
{
    public string Id { get; set; } = string.Empty;

    public long Value { get; set; }

    public string Text { get; set; } = string.Empty;
}

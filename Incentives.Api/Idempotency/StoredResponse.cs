namespace Incentives.Api.Idempotency;

/// <summary>The first successful response to a request with an <c>Idempotency-Key</c>, kept in <c>api.db</c> so a
/// retry gets the very same status and body.</summary>
internal sealed class StoredResponse
{
    /// <summary>"caller key id|Idempotency-Key": keys are scoped to the caller.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>SHA-256 of method, path, resident session and body: the same key with another request is a conflict.</summary>
    public string Fingerprint { get; set; } = string.Empty;

    public int Status { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[] Body { get; set; } = [];

    public long At { get; set; }
}

using Incentives.Credit;
using Incentives.Governance;
using Incentives.Ledger;
using Incentives.Mall;

namespace Incentives.Storage;

/// <summary>
/// The store port: what the engine needs from storage, by capability (<see cref="ILedgerStore"/>,
/// <see cref="IMallStore"/>, <see cref="ICreditStore"/>), plus the writer's unit of work and the reader/writer
/// discipline. LiteDB is one adapter (<c>Storage/LiteDb/</c>, the only place it is named); another adapter passes
/// the same contract tests (<c>StoreContract</c>).
/// </summary>
internal interface IStore : ILedgerStore, IMallStore, ICreditStore, IGovernanceStore, IDisposable
{
    /// <summary>The data file, or null for an in-memory store.</summary>
    string? Path { get; }

    /// <summary>Documents written and looked up for commands.</summary>
    StoreCounters Counters { get; }

    /// <summary>Raised when a read finds the store faulted (its engine closed itself): the writer reopens it.</summary>
    event Action? Faulted;

    /// <summary>Raised after each commit, still holding readers off, with the residents whose account, credit, consent,
    /// service hours or resident record the batch changed; after a reopen, with null (anything may have changed).</summary>
    event Action<IReadOnlyCollection<string>?>? Committed;

    /// <summary>Whether an exception means the store itself failed (its engine faulted, its file could not be read),
    /// not a bug of the caller's: the adapter knows its library's exception types.</summary>
    bool IsFault(Exception e);

    /// <summary>Starts the writer's unit of work (one transaction per batch). Writer thread only.</summary>
    void Begin();

    /// <summary>Writes every changed document once, then commits.</summary>
    void Commit();

    /// <summary>Discards the batch: nothing of it is written, and what the writer cached of it is forgotten.</summary>
    void Rollback();

    /// <summary>Makes everything committed durable in the data file (and empties the store's own log).</summary>
    void Checkpoint();

    /// <summary>Closes and opens the store again (after a fault). Holds readers off.</summary>
    void Reopen();

    /// <summary>A read no write overlaps; a read that finds the store faulted throws <see cref="StoreUnavailableException"/>.</summary>
    T Read<T>(Func<T> read);

    /// <summary>The writer's work (a batch, a checkpoint, a backup) with every reader held off.</summary>
    T Exclusive<T>(Func<T> write);

    long GetMeta(string id);

    void SetMeta(string id, long value);

    string GetMetaText(string id);

    void SetMetaText(string id, string text);

    /// <summary>Takes the next number of a named sequence (inside the writer's unit of work).</summary>
    long Next(string sequence);
}

using System.Collections.Concurrent;

namespace Incentives.Storage;

/// <summary>
/// What readers last read of each resident (balance, credit standing "now", volunteer hours), kept in memory so hot
/// reads never touch the store. The writer, after each commit and still holding readers off, drops the residents its
/// batch changed and advances a version. A reader stores what it read only if the resident has not changed since it
/// began reading, so a value read just before a commit can never outlive it.
/// </summary>
/// <typeparam name="T">The cached value.</typeparam>
internal sealed class ReadCache<T> : IResidentCache
    where T : class
{
    private const int MaxEntries = 200_000;
    private const int MaxTracked = 500_000;

    private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _changedAt = new(StringComparer.Ordinal);
    private long _version;
    private long _clearedAt;

    /// <summary>The version a reader notes before it reads the store.</summary>
    public long Version => Interlocked.Read(ref _version);

    public bool TryGet(string resident, out T value) => _values.TryGetValue(resident, out value!);

    /// <summary>Keeps a value a reader read at <paramref name="readAt"/>, unless the resident changed since.</summary>
    public void Keep(string resident, T value, long readAt)
    {
        if (ChangedSince(resident, readAt))
        {
            return;
        }

        if (_values.Count >= MaxEntries)
        {
            _values.Clear();
        }

        // A commit may land between the check above and the add: look again, and take back what we added if so.
        // Changed marks before it removes, so either it sees our value or we see its mark.
        if (_values.TryAdd(resident, value) && ChangedSince(resident, readAt))
        {
            _values.TryRemove(new KeyValuePair<string, T>(resident, value));
        }
    }

    private bool ChangedSince(string resident, long readAt) =>
        readAt < Interlocked.Read(ref _clearedAt) || (_changedAt.TryGetValue(resident, out var changed) && changed > readAt);

    /// <summary>After a commit, under the writer's lock: these residents changed.</summary>
    public void Changed(IEnumerable<string> residents)
    {
        if (_changedAt.Count > MaxTracked)
        {
            Clear();
        }

        var version = Interlocked.Increment(ref _version);
        foreach (var r in residents)
        {
            _changedAt[r] = version;
            _values.TryRemove(r, out _);
        }
    }

    /// <summary>Everything may have changed (a reopen and replay).</summary>
    public void Clear()
    {
        Interlocked.Exchange(ref _clearedAt, Interlocked.Increment(ref _version));
        _values.Clear();
        _changedAt.Clear();
    }
}

/// <summary>What the writer does to every read cache after a commit.</summary>
internal interface IResidentCache
{
    void Changed(IEnumerable<string> residents);

    void Clear();
}

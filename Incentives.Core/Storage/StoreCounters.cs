namespace Incentives.Storage;

/// <summary>Documents the store wrote and read for commands, counted by the adapter (thread-safe).</summary>
internal sealed class StoreCounters
{
    private long _written;
    private long _lookups;

    public long DocumentsWritten => Interlocked.Read(ref _written);

    public long Lookups => Interlocked.Read(ref _lookups);

    public void Wrote(long count = 1) => Interlocked.Add(ref _written, count);

    public void Looked(long count = 1) => Interlocked.Add(ref _lookups, count);
}

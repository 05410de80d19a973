using System.Collections.Concurrent;
using System.Diagnostics;
using Incentives.Ledger;

namespace Incentives.Storage;

/// <summary>
/// The one thread that changes the store. Measured here: two threads doing read → update on one LiteDB lose updates,
/// and one transaction per change caps writes at a few hundred a second. So every command is queued to this thread,
/// which takes whatever has queued up (up to <c>maxBatch</c>), logs the batch durably once, applies it in one
/// LiteDB transaction (group commit) and only then completes the callers' tasks. LiteDB transactions are bound to
/// their thread, so nothing here awaits.
/// <para>The thread never dies. A full disk refuses the batch before anything is written; a store fault fails the
/// batch's callers (its commands are in the log and are applied when the store reopens, which the writer tries by
/// itself); a command that throws (a bug) fails alone while the rest of its batch is applied.</para>
/// </summary>
internal sealed partial class CommandWriter : IDisposable
{
    public const string LastSequenceKey = "lastCommandSequence";

    private static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);

    private readonly BlockingCollection<Work> _queue = new();
    private readonly IStore _store;
    private readonly CommandDispatcher _processor;
    private readonly CommandLog? _log;
    private readonly DiskGuard? _disk;
    private readonly Func<object?> _afterCheckpoint;
    private readonly int _maxBatch;
    private readonly TimeSpan _linger;
    private readonly long _checkpointBytes;
    private readonly Thread _thread;
    private readonly Stopwatch _sinceRecovery = Stopwatch.StartNew();
    private long _sequence;
    private volatile bool _stopped;
    private volatile bool _faulted;
    private volatile StoreHealth _health = new(true, null, null);
    private int _recoveryQueued;
    private long _batches;
    private long _commands;
    private long _largestBatch;
    private long _logTicks;
    private long _applyTicks;
    private long _checkpointTicks;

    public CommandWriter(IStore store, CommandDispatcher processor, CommandLog? log, int maxBatch, long checkpointBytes, DiskGuard? disk, Func<object?> afterCheckpoint, TimeSpan linger = default)
    {
        _linger = linger;
        _afterCheckpoint = afterCheckpoint;
        _store = store;
        _processor = processor;
        _log = log;
        _disk = disk;
        _maxBatch = maxBatch;
        _checkpointBytes = checkpointBytes;
        _sequence = store.GetMeta(LastSequenceKey);
        _thread = new Thread(Run) { IsBackground = true, Name = "Incentives writer" };
        store.Faulted += RequestRecovery;
    }

    /// <summary>Test hook: called after a batch is durable in the log and before LiteDB sees it; returning true
    /// stops the writer there, as a crash would.</summary>
    internal Func<bool>? CrashAfterLog { get; set; }

    /// <summary>Test hook: called inside the batch's transaction, after its commands were applied; it may break the
    /// store as a fault would (e.g. dispose LiteDB).</summary>
    internal Action? FaultInsideBatch { get; set; }

    /// <summary>Test hook: a command for which this returns true throws while it is applied, as a bug would.</summary>
    internal Func<LedgerCommand, bool>? BugIn { get; set; }

    /// <summary>Whether the writer stopped as if crashed: the log must then be kept for replay.</summary>
    public bool Crashed { get; private set; }

    /// <summary>Whether commands are being applied now.</summary>
    public StoreHealth Health => _health;

    /// <summary>The writer's counts and times; the store's document counts come from <paramref name="store"/>.</summary>
    public EngineStatistics Statistics(StoreCounters store) => new(
        Interlocked.Read(ref _batches), Interlocked.Read(ref _commands), Interlocked.Read(ref _largestBatch),
        store.DocumentsWritten, store.Lookups,
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _logTicks)), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _applyTicks)),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _checkpointTicks)));

    /// <summary>Re-applies logged commands the database lacks. Call before <see cref="Start"/>.</summary>
    public int Replay(IReadOnlyList<(long Sequence, LedgerCommand Command)> records)
    {
        var applied = _store.GetMeta(LastSequenceKey);
        var missing = records.Where(r => r.Sequence > applied).Select(r => new Work(r.Command, [], null) { Sequence = r.Sequence }).ToList();
        for (var i = 0; i < missing.Count; i += _maxBatch)
        {
            var part = missing.GetRange(i, Math.Min(_maxBatch, missing.Count - i));
            _store.Exclusive(() =>
            {
                Apply(part);
                return 0;
            });
        }

        _sequence = Math.Max(applied, records.Count > 0 ? records[^1].Sequence : 0);
        return missing.Count;
    }

    public void Start() => _thread.Start();

    /// <summary>Queues a command. The command is encoded here, on the caller's thread, and refused (with an
    /// <see cref="ArgumentException"/>) if the log could not read it back.</summary>
    public Task<object> Submit(LedgerCommand command)
    {
        var completion = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        byte[] json;
        try
        {
            json = CommandCodec.Encode(command);
        }
        catch (ArgumentException e)
        {
            completion.SetException(e);
            return completion.Task;
        }

        return Enqueue(new Work(command, json, completion));
    }

    /// <summary>Runs <paramref name="work"/> on the writer thread between batches, with every reader held off (a
    /// checkpoint, a backup).</summary>
    public Task<object> Between(Func<object> work) =>
        Enqueue(new Work(null, [], new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously)) { Control = work });

    /// <summary>Stops taking commands, finishes the queued ones and waits for the thread.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _queue.Dispose();
    }

    /// <summary>Makes everything applied durable in the data file, empties the log and records the ledger head
    /// outside the data file. On the writer thread (or after it stopped).</summary>
    public void Checkpoint() => _store.Exclusive(() =>
    {
        var started = Stopwatch.GetTimestamp();
        _store.Checkpoint();
        if (_store.Path is not null)
        {
            DataFile.FlushToDisk(_store.Path);
        }

        _log?.Reset();
        var head = _afterCheckpoint();
        Interlocked.Add(ref _checkpointTicks, Stopwatch.GetTimestamp() - started);
        return head;
    });

    private Task<object> Enqueue(Work work)
    {
        try
        {
            _queue.Add(work);
        }
        catch (InvalidOperationException)
        {
            work.Completion!.TrySetException(new ObjectDisposedException(nameof(CommandWriter), "the engine is closed"));
        }

        return work.Completion!.Task;
    }

    private void Run()
    {
        var batch = new List<Work>(_maxBatch);
        Work? carried = null;
        var lingering = false;
        while (true)
        {
            batch.Clear();
            if (carried is not null)
            {
                batch.Add(carried);
                carried = null;
            }
            else if (!_queue.TryTake(out var first, Timeout.Infinite))
            {
                return; // completed and drained
            }
            else
            {
                batch.Add(first);
            }

            // A control item runs alone; a batch stops before the next one. While writes are concurrent (the last
            // batch held more than one), an empty queue is given the linger to fill up before the batch closes.
            var lingerUntil = lingering ? Stopwatch.GetTimestamp() + (long)(_linger.TotalSeconds * Stopwatch.Frequency) : 0;
            while (batch[0].Control is null && batch.Count < _maxBatch)
            {
                var wait = lingering ? Math.Max(0, (int)Math.Ceiling((lingerUntil - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency)) : 0;
                if (!_queue.TryTake(out var more, wait))
                {
                    break;
                }

                if (more.Control is not null)
                {
                    carried = more;
                    break;
                }

                batch.Add(more);
            }

            lingering = _linger > TimeSpan.Zero && batch.Count > 1;

            try
            {
                if (batch[0].Control is { } control)
                {
                    RunControl(batch[0], control);
                }
                else
                {
                    Process(batch);
                }
            }
            catch (Exception e)
            {
                // Nothing may take the writer down: whatever was not answered gets the failure.
                _faulted = true;
                SetHealth(StoreProblem.Unavailable, e.Message);
                Fail(batch, new StoreUnavailableException(StoreProblem.Unavailable, "the store failed: " + e.Message, e));
            }
        }
    }

    private void RunControl(Work work, Func<object> control)
    {
        if (_faulted && !work.Recovery && !TryRecover())
        {
            Fail([work], new StoreUnavailableException(StoreProblem.Unavailable, "the store is closed after a fault and has not reopened yet"));
            return;
        }

        try
        {
            work.Completion!.TrySetResult(_store.Exclusive(control));
        }
        catch (Exception e)
        {
            work.Completion!.TrySetException(e);
        }
    }

    private void Process(List<Work> batch)
    {
        if (_stopped)
        {
            Fail(batch, new InvalidOperationException("the writer stopped after a simulated crash"));
            return;
        }

        // LiteDB writes committed pages in the background; if one of those writes failed (a full disk), its engine
        // is closed. Notice that before logging anything more.
        if (!_faulted && !Probe())
        {
            _faulted = true;
            _sinceRecovery.Reset();
        }

        if (_faulted && !TryRecover())
        {
            Fail(batch, new StoreUnavailableException(StoreProblem.Unavailable, "the store is closed after a fault and has not reopened yet: nothing was written; retry shortly"));
            return;
        }

        if (_disk?.Low() is { } free)
        {
            SetHealth(StoreProblem.DiskFull, $"only {free} bytes free on the data folder's disk");
            Fail(batch, new StoreUnavailableException(StoreProblem.DiskFull,
                $"the data folder's disk is nearly full ({free} bytes free, {_disk.Reserve} kept in reserve): nothing was written; free space and retry"));
            return;
        }

        foreach (var work in batch)
        {
            work.Sequence = ++_sequence;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            _log?.Append(batch.Select(w => (w.Sequence, w.Json)).ToList());
            Interlocked.Add(ref _logTicks, Stopwatch.GetTimestamp() - started);
        }
        catch (IOException e)
        {
            _sequence -= batch.Count;
            var full = DiskGuard.IsDiskFull(e);
            SetHealth(full ? StoreProblem.DiskFull : StoreProblem.Unavailable, e.Message);
            Fail(batch, new StoreUnavailableException(full ? StoreProblem.DiskFull : StoreProblem.Unavailable,
                $"the command log could not be written ({e.Message}): nothing was written; retry once the disk has room", e));
            return;
        }

        if (CrashAfterLog?.Invoke() == true)
        {
            _stopped = true;
            Crashed = true;
            Fail(batch, new InvalidOperationException("simulated crash after the command log"));
            return;
        }

        started = Stopwatch.GetTimestamp();
        try
        {
            _store.Exclusive(() =>
            {
                Apply(batch);
                return 0;
            });
            Interlocked.Add(ref _applyTicks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _commands, batch.Count);
            if (batch.Count > Interlocked.Read(ref _largestBatch))
            {
                Interlocked.Exchange(ref _largestBatch, batch.Count);
            }
        }
        catch (StoreFaultException e)
        {
            _faulted = true;
            SetHealth(StoreProblem.Faulted, e.InnerException?.Message);
            Fail(batch, new StoreUnavailableException(StoreProblem.Faulted,
                "the store failed while applying this command; it is in the command log and will be applied when the store reopens: retry with the same idempotency key to learn the outcome",
                e.InnerException));
            _sinceRecovery.Reset(); // try at once
            TryRecover();
            return;
        }

        // Checkpoint before answering, so a caller never observes a log past its limit. A failed checkpoint (a full
        // disk) loses nothing: the log keeps the commands and the next batch tries again.
        if (_log is not null && _log.Length > _checkpointBytes)
        {
            try
            {
                Checkpoint();
            }
            catch (IOException e)
            {
                SetHealth(DiskGuard.IsDiskFull(e) ? StoreProblem.DiskFull : StoreProblem.Unavailable, "checkpoint failed: " + e.Message);
            }
        }

        if (!_health.Writable && !_faulted)
        {
            _health = new StoreHealth(true, null, null);
        }

        foreach (var work in batch)
        {
            if (work.Error is not null)
            {
                work.Completion?.TrySetException(work.Error);
            }
            else
            {
                work.Completion?.TrySetResult(work.Result!);
            }
        }
    }

    // All in one transaction; if any command throws, roll back and apply one by one, so a single bad command (a bug)
    // cannot take the others down. If the store itself is broken, that is a fault for the whole batch.
    private void Apply(List<Work> batch)
    {
        try
        {
            _store.Begin();
            foreach (var work in batch)
            {
                work.Result = ApplyOne(work.Command!);
            }

            FaultInsideBatch?.Invoke();
            _store.SetMeta(LastSequenceKey, batch[^1].Sequence);
            _store.Commit();
            return;
        }
        catch (Exception e)
        {
            RollbackOrFault(e);
        }

        foreach (var work in batch)
        {
            try
            {
                _store.Begin();
                work.Result = ApplyOne(work.Command!);
                _store.SetMeta(LastSequenceKey, work.Sequence);
                _store.Commit();
            }
            catch (Exception e)
            {
                RollbackOrFault(e);
                work.Error = e;
                try
                {
                    _store.SetMeta(LastSequenceKey, work.Sequence);
                }
                catch (Exception metaFailure)
                {
                    throw new StoreFaultException(metaFailure);
                }
            }
        }
    }

    private object ApplyOne(LedgerCommand command) =>
        BugIn?.Invoke(command) == true ? throw new InvalidOperationException("a bug in this command (test hook)") : _processor.Apply(command);

    private static void Fail(List<Work> batch, Exception error)
    {
        foreach (var work in batch)
        {
            work.Completion?.TrySetException(error);
        }
    }

    private sealed class StoreFaultException(Exception inner) : Exception(inner.Message, inner);

    private sealed class Work(LedgerCommand? command, byte[] json, TaskCompletionSource<object>? completion)
    {
        public LedgerCommand? Command { get; } = command;

        public byte[] Json { get; } = json;

        public TaskCompletionSource<object>? Completion { get; } = completion;

        public Func<object>? Control { get; init; }

        public bool Recovery { get; init; }

        public long Sequence { get; set; }

        public object? Result { get; set; }

        public Exception? Error { get; set; }
    }
}

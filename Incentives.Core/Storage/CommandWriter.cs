using System.Collections.Concurrent;
using Incentives.Ledger;

namespace Incentives.Storage;

/// <summary>
/// The one thread that changes the store. Measured here: two threads doing read → update on one LiteDB lose updates,
/// and one transaction per change caps writes at a few hundred a second. So every command is queued to this thread,
/// which takes whatever has queued up (up to <c>maxBatch</c>), logs the batch durably once, applies it in one
/// LiteDB transaction (group commit) and only then completes the callers' tasks. LiteDB transactions are bound to
/// their thread, so nothing here awaits.
/// </summary>
internal sealed class CommandWriter : IDisposable
{
    public const string LastSequenceKey = "lastCommandSequence";

    private readonly BlockingCollection<Work> _queue = new();
    private readonly LiteStore _store;
    private readonly LedgerProcessor _processor;
    private readonly CommandLog? _log;
    private readonly int _maxBatch;
    private readonly long _checkpointBytes;
    private readonly Thread _thread;
    private long _sequence;
    private volatile bool _stopped;

    public CommandWriter(LiteStore store, LedgerProcessor processor, CommandLog? log, int maxBatch, long checkpointBytes)
    {
        _store = store;
        _processor = processor;
        _log = log;
        _maxBatch = maxBatch;
        _checkpointBytes = checkpointBytes;
        _sequence = store.GetMeta(LastSequenceKey);
        _thread = new Thread(Run) { IsBackground = true, Name = "Incentives writer" };
    }

    /// <summary>Test hook: called after a batch is durable in the log and before LiteDB sees it; returning true
    /// stops the writer there, as a crash would.</summary>
    internal Func<bool>? CrashAfterLog { get; set; }

    /// <summary>Whether the writer stopped as if crashed: the log must then be kept for replay.</summary>
    public bool Crashed { get; private set; }

    /// <summary>Re-applies logged commands the database lacks. Call before <see cref="Start"/>.</summary>
    public int Replay(IReadOnlyList<(long Sequence, LedgerCommand Command)> records)
    {
        var missing = records.Where(r => r.Sequence > _sequence).Select(r => new Work(r.Command, null) { Sequence = r.Sequence }).ToList();
        for (var i = 0; i < missing.Count; i += _maxBatch)
        {
            Apply(missing.GetRange(i, Math.Min(_maxBatch, missing.Count - i)));
        }

        if (records.Count > 0)
        {
            _sequence = Math.Max(_sequence, records[^1].Sequence);
        }

        return missing.Count;
    }

    public void Start() => _thread.Start();

    public Task<object> Submit(LedgerCommand command)
    {
        var completion = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _queue.Add(new Work(command, completion));
        }
        catch (InvalidOperationException)
        {
            completion.SetException(new ObjectDisposedException(nameof(CommandWriter), "the engine is closed"));
        }

        return completion.Task;
    }

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

    private void Run()
    {
        var batch = new List<Work>(_maxBatch);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Clear();
            batch.Add(first);
            while (batch.Count < _maxBatch && _queue.TryTake(out var more))
            {
                batch.Add(more);
            }

            if (_stopped)
            {
                Fail(batch, new InvalidOperationException("the writer stopped after a simulated crash"));
                continue;
            }

            foreach (var work in batch)
            {
                work.Sequence = ++_sequence;
            }

            _log?.Append(batch.Select(w => (w.Sequence, w.Command)).ToList());
            if (CrashAfterLog?.Invoke() == true)
            {
                _stopped = true;
                Crashed = true;
                Fail(batch, new InvalidOperationException("simulated crash after the command log"));
                continue;
            }

            Apply(batch);

            // Checkpoint before answering, so a caller never observes a log past its limit.
            if (_log is not null && _log.Length > _checkpointBytes)
            {
                Checkpoint();
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
    }

    /// <summary>Makes everything applied durable in the data file, then empties the log.</summary>
    public void Checkpoint()
    {
        _store.Database.Checkpoint();
        if (_store.Path is not null)
        {
            DataFile.FlushToDisk(_store.Path);
        }

        _log?.Reset();
    }

    // All in one transaction; if any command throws (a bug, never a refusal), roll back and apply one by one so a
    // single bad command cannot take the others down.
    private void Apply(List<Work> batch)
    {
        _store.Database.BeginTrans();
        try
        {
            foreach (var work in batch)
            {
                work.Result = _processor.Apply(work.Command);
            }

            _store.SetMeta(LastSequenceKey, batch[^1].Sequence);
            _store.Database.Commit();
            return;
        }
        catch (Exception)
        {
            _store.Database.Rollback();
        }

        foreach (var work in batch)
        {
            _store.Database.BeginTrans();
            try
            {
                work.Result = _processor.Apply(work.Command);
                _store.SetMeta(LastSequenceKey, work.Sequence);
                _store.Database.Commit();
            }
            catch (Exception e)
            {
                _store.Database.Rollback();
                work.Error = e;
                _store.SetMeta(LastSequenceKey, work.Sequence);
            }
        }
    }

    private static void Fail(List<Work> batch, Exception error)
    {
        foreach (var work in batch)
        {
            work.Completion?.TrySetException(error);
        }
    }

    private sealed class Work(LedgerCommand command, TaskCompletionSource<object>? completion)
    {
        public LedgerCommand Command { get; } = command;

        public TaskCompletionSource<object>? Completion { get; } = completion;

        public long Sequence { get; set; }

        public object? Result { get; set; }

        public Exception? Error { get; set; }
    }
}

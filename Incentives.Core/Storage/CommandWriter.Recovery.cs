namespace Incentives.Storage;

/// <summary>The writer's side of a store fault: roll a failed batch back or mark the store faulted, probe it, and reopen
/// it between batches, so the thread never dies and the health the API reports says what is wrong.</summary>
internal sealed partial class CommandWriter
{
    // A read found LiteDB faulted: reopen between batches (once; later reads ask again if it failed).
    private void RequestRecovery()
    {
        if (Interlocked.Exchange(ref _recoveryQueued, 1) == 1 || _queue.IsAddingCompleted)
        {
            return;
        }

        _faulted = true;
        _ = Enqueue(new Work(null, [], new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously))
        {
            Recovery = true,
            Control = () =>
            {
                Interlocked.Exchange(ref _recoveryQueued, 0);
                _sinceRecovery.Reset();
                return TryRecover();
            },
        });
    }

    // A failure is a command's own (a bug) only if the store still works afterwards.
    private void RollbackOrFault(Exception failure)
    {
        try
        {
            _store.Rollback();
            _store.Begin();
            _store.GetMeta(LastSequenceKey);
            _store.Rollback();
        }
        catch (Exception)
        {
            throw new StoreFaultException(failure);
        }

        if (failure is IOException or ObjectDisposedException)
        {
            throw new StoreFaultException(failure);
        }
    }

    private bool Probe()
    {
        try
        {
            _store.GetMeta(LastSequenceKey);
            return true;
        }
        catch (Exception e) when (_store.IsFault(e))
        {
            SetHealth(StoreProblem.Faulted, e.Message);
            return false;
        }
    }

    /// <summary>Reopens the store and replays the log into it; at most once a second.</summary>
    private bool TryRecover()
    {
        if (_sinceRecovery.IsRunning && _sinceRecovery.Elapsed < RecoveryInterval)
        {
            return false;
        }

        _sinceRecovery.Restart();
        if (_store.Path is null)
        {
            return false; // an in-memory store cannot be reopened
        }

        try
        {
            _store.Reopen();
            Replay(_log?.ReadRecords() ?? []);
            _faulted = false;
            _health = new StoreHealth(true, null, null);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SetHealth(StoreProblem.Unavailable, "reopening the store failed: " + e.Message);
            return false;
        }
    }

    private void SetHealth(StoreProblem problem, string? detail) => _health = new StoreHealth(false, problem, detail);
}

namespace Incentives;

/// <summary>Why the engine could not take a command.</summary>
public enum StoreProblem
{
    /// <summary>The data folder's disk is (nearly) full: nothing of the command was written; retry once space is freed.</summary>
    DiskFull,

    /// <summary>The store failed while applying a batch that was already in the command log: the command will be
    /// applied when the store recovers (the engine reopens it by itself). Retry with the same idempotency key to learn
    /// the outcome.</summary>
    Faulted,

    /// <summary>The store is closed after a fault and has not reopened yet: nothing of the command was written.</summary>
    Unavailable,
}

/// <summary>
/// Thrown by a command when the store cannot take it (a full disk, a store fault). Never thrown for a business
/// outcome: those are refusals. The engine keeps running: reads go on, and writes resume by themselves once the cause
/// is gone.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problem">What went wrong.</param>
    /// <param name="message">What to tell an operator.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public StoreUnavailableException(StoreProblem problem, string message, Exception? inner = null)
        : base(message, inner) => Problem = problem;

    /// <summary>Creates the exception (for serializers and tools).</summary>
    public StoreUnavailableException()
        : this(StoreProblem.Unavailable, "the store is unavailable")
    {
    }

    /// <summary>Creates the exception (for serializers and tools).</summary>
    /// <param name="message">The message.</param>
    public StoreUnavailableException(string message)
        : this(StoreProblem.Unavailable, message)
    {
    }

    /// <summary>Creates the exception (for serializers and tools).</summary>
    /// <param name="message">The message.</param>
    /// <param name="inner">The cause.</param>
    public StoreUnavailableException(string message, Exception inner)
        : this(StoreProblem.Unavailable, message, inner)
    {
    }

    /// <summary>What went wrong.</summary>
    public StoreProblem Problem { get; }
}

/// <summary>
/// Thrown by <see cref="IncentivesEngine.Open(IncentivesOptions, NodaTime.IClock)"/> when the data folder cannot be opened as it is — a command log record
/// that cannot be read, damage in the middle of the log, a ledger head that does not match — with a message for the
/// operator that names the file, the place and the command to investigate or recover. Nothing was changed.
/// </summary>
public sealed class StoreOpenException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public StoreOpenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreOpenException()
        : this("the store cannot be opened")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="inner">The cause.</param>
    public StoreOpenException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Whether the engine takes writes now, and if not, why.</summary>
/// <param name="Writable">True when commands are being applied.</param>
/// <param name="Problem">Why not, when not.</param>
/// <param name="Detail">A line for an operator.</param>
public sealed record StoreHealth(bool Writable, StoreProblem? Problem, string? Detail);

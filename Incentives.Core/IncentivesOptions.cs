namespace Incentives;

/// <summary>Where the engine keeps its data and finds its rules, and how it batches writes.</summary>
public sealed record IncentivesOptions
{
    /// <summary>The LiteDB data file, e.g. <c>data/incentives.db</c>. Null keeps everything in memory (tests, demos):
    /// nothing survives <see cref="IncentivesEngine.Dispose"/>.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>The rules folder (default <c>rules</c>).</summary>
    public string RulesDirectory { get; init; } = "rules";

    /// <summary>The most commands applied in one transaction (default 1,000).</summary>
    public int MaxBatchSize { get; init; } = 1000;

    /// <summary>When the command log passes this size the writer checkpoints the data file and empties the log
    /// (default 64 MiB).</summary>
    public long CommandLogCheckpointBytes { get; init; } = 64L << 20;

    /// <summary>How long a mall reservation holds points and stock before it lapses (default 48 hours).</summary>
    public NodaTime.Duration ReservationHold { get; init; } = NodaTime.Duration.FromHours(48);

    /// <summary>The command log beside the data file: <c>&lt;DatabasePath&gt;.commands</c>.</summary>
    public string? CommandLogPath => DatabasePath is null ? null : DatabasePath + ".commands";
}

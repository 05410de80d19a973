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

    /// <summary>How long the writer waits for more commands before it closes a batch that is not full (default 1 ms,
    /// 0–100 ms). It waits only while writes are concurrent (the previous batch held more than one command), so a lone
    /// caller never pays it; under load it lets batches fill, and one commit carries more commands.</summary>
    public NodaTime.Duration BatchLinger { get; init; } = NodaTime.Duration.FromMilliseconds(1);

    /// <summary>When the command log passes this size the writer checkpoints the data file and empties the log
    /// (default 64 MiB).</summary>
    public long CommandLogCheckpointBytes { get; init; } = 64L << 20;

    /// <summary>How long a mall reservation holds points and stock before it lapses (default 48 hours).</summary>
    public NodaTime.Duration ReservationHold { get; init; } = NodaTime.Duration.FromHours(48);

    /// <summary>Writes are refused (nothing written, <see cref="StoreProblem.DiskFull"/>) while the data file's disk has
    /// less than this free, so a full disk never meets the store in the middle of a commit (default 64 MiB; 0 turns
    /// the check off and leaves only the command log's own handling of a full disk).</summary>
    public long MinFreeDiskBytes { get; init; } = 64L << 20;

    /// <summary>The command log beside the data file: <c>&lt;DatabasePath&gt;.commands</c>.</summary>
    public string? CommandLogPath => DatabasePath is null ? null : DatabasePath + ".commands";

    /// <summary>The secret that keys the hash chains, beside the data file: <c>&lt;DatabasePath&gt;.key</c> (created at
    /// the first start, readable by the owner only). Back it up with the data file.</summary>
    public string? KeyPath => DatabasePath is null ? null : DatabasePath + ".key";

    /// <summary>The ledger head written at each checkpoint: <c>&lt;DatabasePath&gt;.head</c>.</summary>
    public string? HeadPath => DatabasePath is null ? null : DatabasePath + ".head";

    /// <summary>Every option outside its range, one line each with its name and range; empty when all are valid.</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxBatchSize is < 1 or > 100_000)
        {
            problems.Add($"MaxBatchSize must be 1–100,000, found {MaxBatchSize}");
        }

        if (BatchLinger < NodaTime.Duration.Zero || BatchLinger > NodaTime.Duration.FromMilliseconds(100))
        {
            problems.Add($"BatchLinger must be 0–100 ms, found {BatchLinger}");
        }

        if (CommandLogCheckpointBytes is < 1 or > 1L << 34)
        {
            problems.Add($"CommandLogCheckpointBytes must be 1 byte–16 GiB, found {CommandLogCheckpointBytes}");
        }

        if (ReservationHold < NodaTime.Duration.FromMinutes(1) || ReservationHold > NodaTime.Duration.FromDays(90))
        {
            problems.Add($"ReservationHold must be 1 minute–90 days, found {ReservationHold}");
        }

        if (MinFreeDiskBytes < 0)
        {
            problems.Add($"MinFreeDiskBytes must not be negative, found {MinFreeDiskBytes}");
        }

        if (string.IsNullOrWhiteSpace(RulesDirectory))
        {
            problems.Add("RulesDirectory must name a folder");
        }

        return problems;
    }
}

namespace Incentives;

/// <summary>
/// What the engine's writer has done since it opened: counts and the time spent in each stage. For benchmarks and
/// operators (a batch size stuck at 1 under load, or the time going to the log's fsync rather than to applying,
/// tells where a bottleneck is). Reading it is cheap and thread-safe; the figures are cumulative.
/// </summary>
/// <param name="Batches">Batches applied (one store transaction each).</param>
/// <param name="Commands">Commands applied (refusals included).</param>
/// <param name="LargestBatch">The most commands one batch held.</param>
/// <param name="DocumentsWritten">Documents the store inserted, updated or deleted for commands.</param>
/// <param name="Lookups">Documents or index ranges the store read for commands.</param>
/// <param name="LogTime">Time spent appending batches to the command log and fsyncing it.</param>
/// <param name="ApplyTime">Time spent applying batches, commit included.</param>
/// <param name="CheckpointTime">Time spent in checkpoints.</param>
public sealed record EngineStatistics(
    long Batches,
    long Commands,
    long LargestBatch,
    long DocumentsWritten,
    long Lookups,
    TimeSpan LogTime,
    TimeSpan ApplyTime,
    TimeSpan CheckpointTime);

using System.Diagnostics;
using Incentives.Ledger;
using Incentives.Mall;

namespace Incentives.Bench;

/// <summary>The in-process figures: awards at several depths, naive vs group commit, the writer's counters,
/// contended reservations, reads idle and under writes, and eligibility batches.</summary>
internal sealed class EngineBench(Report report, BenchOptions options)
{
    public const string HeatingSubsidy = "HEATING-SUBSIDY";

    public async Task Run()
    {
        var dir = options.NewTempFolder("engine");
        var setup = Stopwatch.StartNew();
        using var host = await EngineHost.OpenPopulated(Path.Combine(dir, "incentives.db"), options.Rules, options.NewTempFolder("engine-scratch"), "bench", "b", options.EngineResidents);
        report.Add("setup_residents", options.EngineResidents, "count", ("seconds", setup.Elapsed.TotalSeconds),
            ("note", "registered and consenting, written by the bulk path (BulkLoad.cs), then the engine opened on the file"));

        if (options.Runs("award"))
        {
            await Awards(host);
        }

        if (options.Runs("naive"))
        {
            await Naive();
        }

        if (options.Runs("reserve"))
        {
            await Reserve(host);
        }

        if (options.Runs("reads"))
        {
            await Reads(host);
        }

        if (options.Runs("eligibility"))
        {
            await Eligibility(host);
        }

        host.Close();
        var fileBytes = Machine.DataFolderBytes(host.DatabasePath);
        var collections = EngineHost.DocumentBytes(host.DatabasePath);
        var documentBytes = collections.Sum(c => c.Count * c.AverageBytes);
        var awards = Math.Max(1, host.AwardsPosted);
        report.Add("bytes_per_entry_small", (double)fileBytes / awards, "bytes/entry",
            ("entries", host.AwardsPosted), ("residents", options.EngineResidents), ("document_bytes_share", documentBytes / fileBytes),
            ("by_collection", string.Join(" ", collections.Where(c => c.Count > 0).Take(10)
                .Select(c => $"{c.Name}:{c.Count}x{c.AverageBytes:F0}B={c.Count * c.AverageBytes / awards:F0}B/entry"))),
            ("note", "incentives.db* after a clean close ÷ awards (the store also holds the residents, a reservation race, eligibility decisions); " +
                "by_collection: documents × average BSON size ÷ awards"));
    }

    private async Task Awards(EngineHost host)
    {
        foreach (var inflight in new[] { 1, 16, 64, 256 })
        {
            // The writer's counters over the whole loop (warm-up and drain included): every batch of this loop starts
            // and ends inside it, so the split of the writer's time is exact.
            var before = host.Engine.Statistics;
            var gc = GcSnapshot.Take();
            using var allocations = inflight == 256 ? new Allocations() : null;
            var window = Stopwatch.StartNew();
            var result = await Load.ClosedLoop(inflight, options.Warmup, options.Duration, s => host.Award(s, $"a{inflight}"));
            window.Stop();
            var after = host.Engine.Statistics;
            var gcDelta = GcSnapshot.Take() - gc;
            allocations?.Dispose();
            Check(result, $"awards at {inflight} in flight");
            var stats = Delta(before, after);
            report.Add($"award_per_s_inflight_{inflight}", result.PerSecond, "ops/s",
                ("awards", result.Count), ("avg_batch", Ratio(stats.Commands, stats.Batches)), ("errors", result.Errors));
            report.Add($"award_p50_ms_inflight_{inflight}", result.P50Ms, "ms");
            report.Add($"award_p99_ms_inflight_{inflight}", result.P99Ms, "ms");
            if (inflight == 256)
            {
                Writer(stats, window.Elapsed, result.Count, "");
                Gc(gcDelta, window.Elapsed, stats.Commands, "", allocations?.Top(8));
            }
        }

        if (report.Find("raw_litedb_batched_insert_per_s") is { } raw && report.Find("award_per_s_inflight_256") is { } award)
        {
            report.Add("award_vs_raw_ratio", award / raw, "ratio", ("award_per_s", award), ("raw_docs_per_s", raw));
        }
    }

    /// <summary>The writer's counters over a run: batches, documents, lookups, and where its time went (shares of the
    /// run's wall time, <paramref name="window"/>).</summary>
    public void Writer(EngineStatistics stats, TimeSpan window, long awards, string suffix)
    {
        report.Add("docs_written_per_award" + suffix, Ratio(stats.DocumentsWritten, stats.Commands), "docs",
            ("documents", stats.DocumentsWritten), ("commands", stats.Commands),
            ("note", stats.DocumentsWritten == 0 ? "EngineStatistics.DocumentsWritten is not counted by this build (0)" : "documents inserted, updated or deleted ÷ commands"));
        report.Add("lookups_per_award" + suffix, Ratio(stats.Lookups, stats.Commands), "lookups",
            ("lookups", stats.Lookups), ("note", stats.Lookups == 0 ? "EngineStatistics.Lookups is not counted by this build (0)" : "documents or index ranges read ÷ commands"));
        report.Add("avg_batch_size" + suffix, Ratio(stats.Commands, stats.Batches), "commands",
            ("batches", stats.Batches), ("commands", stats.Commands), ("largest_batch_ever", stats.LargestBatch), ("awards_measured", awards));
        var seconds = window.TotalSeconds;
        report.Add("writer_log_share" + suffix, stats.LogTime.TotalSeconds / seconds, "share",
            ("log_ms_per_batch", Ratio(stats.LogTime.TotalMilliseconds, stats.Batches)), ("note", "command-log append + fsync, share of wall time"));
        report.Add("writer_apply_share" + suffix, stats.ApplyTime.TotalSeconds / seconds, "share",
            ("apply_ms_per_batch", Ratio(stats.ApplyTime.TotalMilliseconds, stats.Batches)), ("apply_us_per_command", Ratio(stats.ApplyTime.TotalMilliseconds * 1000, stats.Commands)),
            ("note", "applying the batch in one LiteDB transaction, commit included, share of wall time"));
        report.Add("writer_checkpoint_share" + suffix, stats.CheckpointTime.TotalSeconds / seconds, "share",
            ("checkpoint_ms", stats.CheckpointTime.TotalMilliseconds));
        report.Add("writer_other_share" + suffix, 1 - ((stats.LogTime + stats.ApplyTime + stats.CheckpointTime).TotalSeconds / seconds), "share",
            ("note", "the rest of the wall time: the writer waiting for or taking commands, answering callers, idle"));
    }

    /// <summary>The garbage collector over a run: the share of wall time the process was paused, and bytes allocated
    /// per command (the engine and the load generator together; the generator's share is small).</summary>
    public void Gc(GcSnapshot delta, TimeSpan window, long commands, string suffix, string? topTypes = null)
    {
        report.Add("gc_pause_share" + suffix, delta.Pause.TotalSeconds / window.TotalSeconds, "share",
            ("gen0", delta.Gen0), ("gen1", delta.Gen1), ("gen2", delta.Gen2), ("note", "GC.GetTotalPauseDuration over the run ÷ wall time"));
        report.Add("allocated_kb_per_award" + suffix, Ratio(delta.Allocated / 1024.0, commands), "KB",
            ("top_types", topTypes ?? string.Empty), ("note", "GC.GetTotalAllocatedBytes over the run ÷ commands (whole process); top_types: sampled allocation events by type"));
    }

    public static EngineStatistics Delta(EngineStatistics a, EngineStatistics b) => new(
        b.Batches - a.Batches, b.Commands - a.Commands, b.LargestBatch, b.DocumentsWritten - a.DocumentsWritten, b.Lookups - a.Lookups,
        b.LogTime - a.LogTime, b.ApplyTime - a.ApplyTime, b.CheckpointTime - a.CheckpointTime);

    public static double Ratio(double a, double b) => b == 0 ? 0 : a / b;

    private void Check(LoadResult result, string what)
    {
        if (result.Errors > 0 || result.Count == 0)
        {
            report.Fail($"{what}: {result.Errors} failed, {result.Count} succeeded; first failure: {result.FirstError}");
        }
    }

    // One transaction (and one command-log fsync) per award: the same engine with MaxBatchSize = 1, at 64 in flight.
    // Its own file, populated with the default batch size, then reopened; the documents it stores per award are
    // counted from the closed file before and after.
    private async Task Naive()
    {
        var dir = options.NewTempFolder("naive");
        using var host = await EngineHost.OpenPopulated(Path.Combine(dir, "incentives.db"), options.Rules, options.NewTempFolder("naive-scratch"), "naive", "n", 2000);
        host.Close();
        var before = EngineHost.CountDocuments(host.DatabasePath);
        host.Reopen(maxBatchSize: 1);
        var start = host.Engine.Statistics;
        var result = await Load.ClosedLoop(64, options.Warmup, options.Duration, s => host.Award(s, "naive"));
        Check(result, "naive awards");
        var stats = Delta(start, host.Engine.Statistics);
        host.Close();
        var after = EngineHost.CountDocuments(host.DatabasePath);
        report.Add("award_naive_per_s", result.PerSecond, "ops/s", ("inflight", 64), ("max_batch_size", 1), ("avg_batch", Ratio(stats.Commands, stats.Batches)),
            ("p50_ms", result.P50Ms), ("p99_ms", result.P99Ms), ("log_ms_per_batch", Ratio(stats.LogTime.TotalMilliseconds, stats.Batches)),
            ("apply_ms_per_batch", Ratio(stats.ApplyTime.TotalMilliseconds, stats.Batches)));
        if (report.Find("award_per_s_inflight_256") is { } grouped)
        {
            report.Add("group_commit_speedup", grouped / result.PerSecond, "ratio", ("award_per_s_inflight_256", grouped), ("award_naive_per_s", result.PerSecond));
        }

        var (total, detail) = EngineHost.Difference(before, after);
        report.Add("stored_docs_per_award", (double)total / host.AwardsPosted, "docs",
            ("awards", host.AwardsPosted), ("by_collection", detail),
            ("note", "net new documents in the closed data file ÷ awards (LiteDB read directly); updates in place are not visible here"));
    }

    // 1,000 reservations at once on one item with stock 100, from 1,000 residents who can each afford it.
    private async Task Reserve(EngineHost host)
    {
        var store = new StoreId("bench-mall");
        EngineHost.Must(await host.Engine.CreateStoreAsync(store, host.Community, "Bench mall"));
        var buyers = host.Residents.Take(1000).ToArray();
        await Load.ForEach(buyers.Length, 1000, async i =>
            EngineHost.Must(await host.Engine.AdjustAsync(new AdjustmentRequest(buyers[i], 100, "bench float for the reservation race", "bench", "float-" + i))));
        var rates = new List<double>();
        var winners = new List<int>();
        var raceStats = new EngineStatistics(0, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        var raceTime = TimeSpan.Zero;
        var refusals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var round = 0; round < options.ReserveRounds; round++)
        {
            var sku = "RACE" + round;
            EngineHost.Must(await host.Engine.DefineItemAsync(store, new ItemDefinition(sku, "抢购商品", "Contended item", 10, ItemKind.Goods), "bench"));
            EngineHost.Must(await host.Engine.ChangeStockAsync(store, sku, StockChangeKind.Receive, 100, "bench", "delivery"));
            var statsBefore = host.Engine.Statistics;
            var started = Stopwatch.GetTimestamp();
            var results = await Task.WhenAll(buyers.Select((b, i) =>
                host.Engine.ReserveAsync(new ReservationRequest(store, b, [new LineRequest(sku, 1)], $"race-{round}-{i}"))));
            var elapsed = Stopwatch.GetElapsedTime(started);
            var d = Delta(statsBefore, host.Engine.Statistics);
            raceStats = new EngineStatistics(raceStats.Batches + d.Batches, raceStats.Commands + d.Commands, d.LargestBatch, raceStats.DocumentsWritten + d.DocumentsWritten,
                raceStats.Lookups + d.Lookups, raceStats.LogTime + d.LogTime, raceStats.ApplyTime + d.ApplyTime, raceStats.CheckpointTime + d.CheckpointTime);
            raceTime += elapsed;
            rates.Add(buyers.Length / elapsed.TotalSeconds);
            var won = results.Count(r => r.Value is not null);
            winners.Add(won);
            foreach (var r in results.Where(r => r.Value is null))
            {
                var code = r.Refusal?.Code.ToString() ?? "none";
                refusals[code] = refusals.GetValueOrDefault(code) + 1;
            }

            var item = host.Engine.GetItems(store).Single(i => i.Definition.Sku == sku);
            if (won != 100 || item.Stock != 0 || item.Held != 100)
            {
                report.Fail($"reservation race round {round}: {won} winners (expected exactly 100), stock left {item.Stock}, held {item.Held}");
            }
        }

        rates.Sort();
        report.Add("reserve_contended_per_s", rates[rates.Count / 2], "ops/s", ("rounds", rates.Count), ("min", rates[0]), ("max", rates[^1]),
            ("avg_batch", Ratio(raceStats.Commands, raceStats.Batches)), ("writer_apply_share", raceStats.ApplyTime / raceTime),
            ("writer_log_share", raceStats.LogTime / raceTime), ("apply_us_per_command", Ratio(raceStats.ApplyTime.TotalMilliseconds * 1000, raceStats.Commands)),
            ("docs_per_command", Ratio(raceStats.DocumentsWritten, raceStats.Commands)), ("lookups_per_command", Ratio(raceStats.Lookups, raceStats.Commands)),
            ("note", "1,000 ReserveAsync calls at once on one item (stock 100); time until all have answered; median of rounds"));
        report.Add("reserve_contended_winners", winners.Min() == winners.Max() ? winners[0] : winners.Min(), "count",
            ("per_round", string.Join(",", winners)), ("refusals", string.Join(" ", refusals.Select(kv => $"{kv.Key}={kv.Value}"))));
    }

    private async Task Reads(EngineHost host)
    {
        // A read set (100 residents quick, 500 full), each with at least 20 entries so a statement page is full.
        var random = new Random(12);
        var ids = host.Residents.Take(options.Quick ? 100 : 500).ToArray();
        await Load.ForEach(ids.Length * 20, 256, async i => await host.Award(ids[i % ids.Length], "topup"));
        var reads = new (string Name, Action<int> Read)[]
        {
            ("read_balance", _ => Consume(host.Engine.GetBalance(ids[random.Next(ids.Length)]))),
            ("read_statement_page", _ => Consume(host.Engine.GetStatement(new StatementQuery(ids[random.Next(ids.Length)], PageSize: 20)).Items.Count == 20 ? (object)1 : null)),
            ("read_credit_tier", _ =>
            {
                var standing = host.Engine.GetCredit(ids[random.Next(ids.Length)]) ?? throw new InvalidOperationException("no credit");
                if (!standing.Rated || standing.Tier is null)
                {
                    throw new InvalidOperationException("a consenting resident is unrated");
                }
            }),
        };

        foreach (var (name, read) in reads)
        {
            var idle = await Task.Run(() => Load.ReadLoop(options.ReadWarmup, options.ReadDuration, read));
            Reported(name, "idle", idle);
        }

        // Under write load: 64 awards in flight in the background while one thread reads.
        await using (var writes = new BackgroundWrites(64, s => host.Award(s, "readload")))
        {
            await Task.Delay(options.ReadWarmup);
            foreach (var (name, read) in reads)
            {
                var awardsBefore = writes.Completed;
                var started = Stopwatch.GetTimestamp();
                var loaded = await Task.Run(() => Load.ReadLoop(TimeSpan.Zero, options.ReadDuration, read));
                var awardRate = (writes.Completed - awardsBefore) / Stopwatch.GetElapsedTime(started).TotalSeconds;
                Reported(name, "under_load", loaded, ("awards_per_s_meanwhile", awardRate));
            }

            if (writes.Errors > 0)
            {
                report.Fail($"{writes.Errors} background awards failed during the read benchmark");
            }
        }
    }

    public static void Consume(object? value)
    {
        if (value is null)
        {
            throw new InvalidOperationException("a read found nothing");
        }
    }

    private void Reported(string name, string suffix, long[] latencies, params (string, object)[] extra)
    {
        report.Add($"{name}_p50_us_{suffix}", Latency.PercentileUs(latencies, 0.5), "us");
        report.Add($"{name}_p99_us_{suffix}", Latency.PercentileUs(latencies, 0.99), "us",
            [("reads", latencies.Length), ("max_us", Latency.PercentileUs(latencies, 1.0)), .. extra]);
    }

    private async Task Eligibility(EngineHost host)
    {
        var residents = host.Residents.Take(10_000).ToArray();
        if (residents.Length < 10_000)
        {
            report.Fail($"the eligibility batch needs 10,000 residents; only {residents.Length} were registered");
            return;
        }

        EngineHost.Must(await host.Engine.DecideEligibilityBatchAsync(HeatingSubsidy, residents.Take(1000).ToArray())); // warm-up
        var times = new List<double>();
        var eligible = 0;
        var idleWriter = Delta(host.Engine.Statistics, host.Engine.Statistics);
        for (var i = 0; i < options.EligibilityRepeats; i++)
        {
            var before = host.Engine.Statistics;
            var started = Stopwatch.GetTimestamp();
            var batch = EngineHost.Must(await host.Engine.DecideEligibilityBatchAsync(HeatingSubsidy, residents));
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var d = Delta(before, host.Engine.Statistics);
            idleWriter = idleWriter with { Batches = idleWriter.Batches + d.Batches, DocumentsWritten = idleWriter.DocumentsWritten + d.DocumentsWritten, ApplyTime = idleWriter.ApplyTime + d.ApplyTime };
            eligible = batch.Decisions.Count(d => d.Eligible);
        }

        times.Sort();
        report.Add("eligibility_batch_10k_ms", times[times.Count / 2], "ms", ("runs", times.Count), ("min_ms", times[0]), ("max_ms", times[^1]),
            ("eligible", eligible), ("writer_batches_per_run", Ratio(idleWriter.Batches, times.Count)),
            ("writer_apply_ms_per_run", Ratio(idleWriter.ApplyTime.TotalMilliseconds, times.Count)), ("writer_docs_per_run", Ratio(idleWriter.DocumentsWritten, times.Count)),
            ("note", "idle engine; median of runs; writer_*: what the writer did per run (the decisions are made by readers, then stored by one command)"));

        // The writer stall: 16 awards in flight; the longest gap between two award completions while a batch runs,
        // beside the longest gap over an equally long window without one.
        await using var writes = new BackgroundWrites(16, s => host.Award(s, "stall"));
        await Task.Delay(options.ReadWarmup);
        var window = TimeSpan.FromMilliseconds(Math.Clamp(times[^1], 300, options.Quick ? 1000 : 2000));
        var baseFrom = Stopwatch.GetTimestamp();
        await Task.Delay(window);
        var baseTo = Stopwatch.GetTimestamp();
        var writerBefore = host.Engine.Statistics;
        var from = Stopwatch.GetTimestamp();
        EngineHost.Must(await host.Engine.DecideEligibilityBatchAsync(HeatingSubsidy, residents));
        var to = Stopwatch.GetTimestamp();
        var writer = Delta(writerBefore, host.Engine.Statistics);
        await Task.Delay(100);
        report.Add("eligibility_batch_writer_stall_ms", writes.LongestGapMs(from, to), "ms",
            ("baseline_gap_ms", writes.LongestGapMs(baseFrom, baseTo)), ("batch_ms_under_load", Stopwatch.GetElapsedTime(from, to).TotalMilliseconds),
            ("awards_meanwhile", writes.Completed), ("writer_apply_ms_per_batch", Ratio(writer.ApplyTime.TotalMilliseconds, writer.Batches)),
            ("writer_docs_written", writer.DocumentsWritten),
            ("note", "longest gap between award completions (16 in flight) while the batch ran; baseline: same loop, no batch; writer_*: the writer over the batch (awards included)"));
        if (writes.Errors > 0)
        {
            report.Fail($"{writes.Errors} background awards failed during the eligibility benchmark");
        }
    }
}

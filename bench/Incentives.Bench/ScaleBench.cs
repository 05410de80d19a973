using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Incentives.Ledger;

namespace Incentives.Bench;

/// <summary>
/// The scale run: load N residents and M journal entries (by default through the bulk path, <see cref="BulkLoad"/>,
/// which writes the engine's own documents; <c>--load-kind award</c> sends M award commands through the engine instead),
/// check the loaded ledger with the engine's own verification, then, each in a fresh process so that memory and open
/// times are the serving engine's own: open the large store, awards at 256 in flight, reads idle and under writes; a
/// writer killed with SIGKILL mid-load and the open after it.
/// </summary>
internal sealed class ScaleBench(Report report, BenchOptions options)
{
    private const int ConsentEvery = 100;
    private const string Prefix = "s";

    public async Task Run()
    {
        var dir = options.ScaleDir ?? options.NewTempFolder("scale");
        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, "incentives.db");
        var marker = Path.Combine(dir, "bench-scale.json");
        if (Reusable(marker) is { } previous)
        {
            report.Add("scale_reused", 1, "count", ("note", $"store loaded earlier in {dir} reused ({previous.Load}); its load figures follow, marked reused"));
            foreach (var line in previous.Metrics ?? [])
            {
                Relay(line, ("reused", true));
            }
        }
        else
        {
            foreach (var f in Directory.EnumerateFiles(dir))
            {
                File.Delete(f);
            }

            var first = report.Metrics.Count;
            var loaded = await LoadStore(db);
            var lines = report.Metrics.Skip(first).Select(Report.ToJson).ToList();
            await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(new ScaleMarker(options.ScaleResidents, options.ScaleEntries, options.LoadKind + ": " + loaded, lines)));
        }

        var empty = Path.Combine(options.NewTempFolder("empty"), "incentives.db");
        await Child("open", empty, "open_ms_empty_store");
        await Child("open", db, "open_ms");
        await Child("serve", db, null);
        if (report.Find("award_per_s_at_scale") is { } atScale && report.Find("award_per_s_inflight_256") is { } atEmpty)
        {
            report.Add("award_at_scale_vs_empty_ratio", atScale / atEmpty, "ratio", ("award_per_s_at_scale", atScale), ("award_per_s_inflight_256", atEmpty));
        }

        await Crash(db);
    }

    private ScaleMarker? Reusable(string marker)
    {
        if (options.ScaleDir is null || !File.Exists(marker))
        {
            return null;
        }

        var m = JsonSerializer.Deserialize<ScaleMarker>(File.ReadAllText(marker));
        return m is not null && m.Residents == options.ScaleResidents && m.Entries == options.ScaleEntries ? m : null;
    }

    private async Task<string> LoadStore(string db)
    {
        if (options.LoadKind == "bulk")
        {
            return await BulkLoadStore(db);
        }

        using var host = EngineHost.Open(db, options.Rules);
        var started = Stopwatch.StartNew();
        var before = host.Engine.Statistics;
        await host.Populate("scale", Prefix, options.ScaleResidents, ConsentEvery, options.LoadInflight);
        var registered = started.Elapsed;
        Console.Error.WriteLine($"  {options.ScaleResidents:N0} residents registered in {registered.TotalSeconds:F0} s");
        long done = 0;
        using var progress = new Timer(_ =>
        {
            var n = Interlocked.Read(ref done);
            var rate = n / Math.Max(1e-3, (started.Elapsed - registered).TotalSeconds);
            Console.Error.WriteLine($"  [{started.Elapsed:hh\\:mm\\:ss}] {n:N0} entries, {rate:N0}/s, {(options.ScaleEntries - n) / Math.Max(1, rate) / 60:F1} min to go, rss {Machine.RssMb():F0} MB");
        }, null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        var residents = host.Residents;
        await LoadEntries(host, residents, () => Interlocked.Increment(ref done));
        var elapsed = started.Elapsed;
        var stats = EngineBench.Delta(before, host.Engine.Statistics);
        var sizeOpen = Machine.DataFolderBytes(db);
        var close = Stopwatch.StartNew();
        host.Close();
        close.Stop();
        var size = Machine.DataFolderBytes(db);
        var entriesPerSecond = options.ScaleEntries / (elapsed - registered).TotalSeconds;
        report.Add("scale_load_seconds", elapsed.TotalSeconds, "s", ("residents", options.ScaleResidents), ("entries", options.ScaleEntries),
            ("path", "engine commands (" + options.LoadKind + ")"), ("register_seconds", registered.TotalSeconds), ("inflight", options.LoadInflight));
        report.Add("scale_load_entries_per_s", entriesPerSecond, "entries/s", ("avg_batch", EngineBench.Ratio(stats.Commands, stats.Batches)),
            ("writer_log_share", stats.LogTime.TotalSeconds / elapsed.TotalSeconds), ("writer_apply_share", stats.ApplyTime.TotalSeconds / elapsed.TotalSeconds),
            ("writer_checkpoint_share", stats.CheckpointTime.TotalSeconds / elapsed.TotalSeconds), ("kind", options.LoadKind == "adjust" ? "manual adjustments (+2), round-robin over residents" : "FAM-04 awards, round-robin over residents"));
        ReportSize(db, size, sizeOpen, close.Elapsed);
        report.Add("peak_rss_mb_load", Machine.PeakRssMb(), "MB", ("note", "the loading process, with thousands of commands in flight"));
        return $"{elapsed.TotalSeconds:F0} s, {entriesPerSecond:F0} entries/s, {(double)size / options.ScaleEntries:F0} bytes/entry";
    }

    // The bulk path (BulkLoad): the engine's documents cloned from template residents, straight into LiteDB.
    private async Task<string> BulkLoadStore(string db)
    {
        var started = Stopwatch.StartNew();
        var lastReport = Stopwatch.StartNew();
        var result = await BulkLoad.Run(db, options.Rules, options.NewTempFolder("bulk-scratch"), "scale", i => Id(i).Value, options.ScaleResidents, options.ScaleEntries, ConsentEvery, n =>
        {
            if (lastReport.Elapsed > TimeSpan.FromSeconds(30))
            {
                lastReport.Restart();
                var rate = n / Math.Max(1e-3, started.Elapsed.TotalSeconds);
                Console.Error.WriteLine($"  [{started.Elapsed:hh\\:mm\\:ss}] {n:N0} entries, {rate:N0}/s, {(options.ScaleEntries - n) / Math.Max(1, rate) / 60:F1} min to go, rss {Machine.RssMb():F0} MB");
            }
        });
        var elapsed = started.Elapsed;
        var size = Machine.DataFolderBytes(db);
        report.Add("scale_load_seconds", elapsed.TotalSeconds, "s", ("residents", options.ScaleResidents), ("entries", options.ScaleEntries),
            ("path", "bulk: the engine's documents written with LiteDB (BulkLoad.cs), head accepted by IncentivesEngine.AcceptHead"),
            ("template_seconds", result.TemplateTime.TotalSeconds), ("residents_seconds", result.ResidentsTime.TotalSeconds),
            ("journal_seconds", result.JournalTime.TotalSeconds), ("accounts_seconds", result.AccountsTime.TotalSeconds), ("documents", result.Documents));
        report.Add("scale_load_entries_per_s", options.ScaleEntries / Math.Max(1e-3, result.JournalTime.TotalSeconds), "entries/s",
            ("docs_per_s", result.Documents / elapsed.TotalSeconds),
            ("litedb_busy_share", result.JournalWriteTime / result.JournalTime), ("cpu_cores_used", result.JournalCpu / result.JournalTime),
            ("disk_write_kb_per_entry", result.JournalDiskBytes / 1024.0 / Math.Max(1, options.ScaleEntries)), ("kind", "FAM-04 awards, round-robin over residents (entry i → resident i mod N), cloned from engine-written templates"));
        ReportSize(db, size, size, TimeSpan.Zero);
        report.Add("peak_rss_mb_load", Machine.PeakRssMb(), "MB", ("note", "the loading process (bulk path)"));
        await Verify(db);
        return $"{elapsed.TotalSeconds:F0} s, {options.ScaleEntries / Math.Max(1e-3, result.JournalTime.TotalSeconds):F0} entries/s, {(double)size / Math.Max(1, options.ScaleEntries):F0} bytes/entry";
    }

    private void ReportSize(string db, long size, long sizeOpen, TimeSpan close)
    {
        report.Add("bytes_per_entry", (double)size / Math.Max(1, options.ScaleEntries), "bytes/entry", ("data_folder_mb", size / 1048576.0),
            ("before_close_bytes_per_entry", (double)sizeOpen / Math.Max(1, options.ScaleEntries)), ("close_ms", close.TotalMilliseconds),
            ("by_collection", string.Join(" ", EngineHost.DocumentBytes(db).Where(c => c.Count > 0).Take(8)
                .Select(c => $"{c.Name}:{c.Count}x{c.AverageBytes:F0}B={c.Count * c.AverageBytes / Math.Max(1, options.ScaleEntries):F0}B/entry"))),
            ("note", "incentives.db* after a clean close (data file, LiteDB log, empty command log) ÷ entries; residents' documents included; " +
                "by_collection: documents × average BSON size ÷ entries"));
    }

    // The bulk-loaded ledger is the engine's own: the head check at open passes, sampled residents' chains verify (hash
    // by hash, balance = journal = lots), and on a small load the whole ledger does (ledger-wide chain, ids without gaps).
    private async Task Verify(string db)
    {
        var started = Stopwatch.StartNew();
        using var engine = EngineHost.OpenEngine(db, options.Rules);
        var random = new Random(5);
        var sample = Enumerable.Range(0, 200).Select(_ => random.Next(options.ScaleResidents)).Append(0).Append(options.ScaleResidents - 1).Distinct().ToList();
        var bad = sample.Select(i => (i, engine.VerifyChain(Id(i)))).Where(v => !v.Item2.Valid).ToList();
        var whole = options.ScaleEntries <= 20_000 || options.VerifyAll ? engine.Verify() : null;
        report.Add("scale_verify_ok", bad.Count == 0 && whole is null or { Valid: true } ? 1 : 0, "bool", ("chains_sampled", sample.Count),
            ("whole_ledger", whole is null ? "not run (over 20,000 entries; --verify-all)" : whole.Valid ? $"valid, {whole.Entries} entries" : string.Join("; ", whole.Problems.Take(3))),
            ("seconds", started.Elapsed.TotalSeconds), ("first_problem", bad.Count > 0 ? $"{Id(bad[0].i)}: {bad[0].Item2.Problem}" : string.Empty));
        if (bad.Count > 0 || whole is { Valid: false })
        {
            report.Fail("the bulk-loaded store does not verify");
        }

        await Task.CompletedTask;
    }

    private async Task LoadEntries(EngineHost host, ResidentId[] residents, Action done)
    {
        var adjust = options.LoadKind == "adjust";
        await Load.ForEach(checked((int)options.ScaleEntries), options.LoadInflight, async i =>
        {
            var resident = residents[i % residents.Length];
            if (adjust)
            {
                EngineHost.Must(await host.Engine.AdjustAsync(new AdjustmentRequest(resident, 2, "bulk load", "bench", "load-" + i.ToString(CultureInfo.InvariantCulture))));
            }
            else
            {
                await host.Award(resident, "load");
            }

            done();
        });
    }

    /// <summary>Runs this program again as a child (<c>--child MODE</c>) and relays its JSON lines into the report.</summary>
    private async Task Child(string mode, string db, string? metric, Func<Process, Task>? whileRunning = null)
    {
        using var process = StartSelf(mode, db, metric);
        var relay = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith('{'))
                {
                    Relay(line);
                }
                else if (line == "#ready")
                {
                    Ready.TrySetResult();
                }
            }
        });
        if (whileRunning is not null)
        {
            await whileRunning(process);
        }

        await process.WaitForExitAsync();
        await relay;
        if (process.ExitCode != 0 && whileRunning is null)
        {
            report.Fail($"the '{mode}' child process exited with {process.ExitCode}");
        }
    }

    private TaskCompletionSource Ready { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // A writer process loading awards at 256 in flight, killed with SIGKILL a few seconds in; then the open after it.
    private async Task Crash(string db)
    {
        Ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long logBytes = 0;
        await Child("crash-writer", db, null, async process =>
        {
            var ready = await Task.WhenAny(Ready.Task, process.WaitForExitAsync());
            if (ready != Ready.Task)
            {
                report.Fail("the crash-writer child exited before it was writing");
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(options.Quick ? 2 : 5));
            process.Kill(); // SIGKILL on Linux
            await process.WaitForExitAsync();
            logBytes = Machine.FileSize(db + ".commands");
        });
        report.Add("crash_command_log_bytes", logBytes, "bytes", ("liteDb_log_bytes", Machine.FileSize(Path.Combine(Path.GetDirectoryName(db)!, "incentives-log.db"))),
            ("note", "what the killed writer left to replay"));
        await Child("open", db, "open_ms_after_crash");
    }

    private Process StartSelf(string mode, string db, string? metric)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ScaleBench).Assembly.Location);
        }

        foreach (var a in new[] { "--child", mode, "--db", db }.Concat(metric is null ? [] : ["--metric", metric]).Concat(options.ChildArguments()))
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start a child process");
    }

    private void Relay(string line, params (string Key, object Value)[] more)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var extra = root.EnumerateObject().Where(p => p.Name is not ("metric" or "value" or "unit" or "goal" or "met"))
            .Select(p => (p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.Number => (object)p.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => p.Value.ToString(),
            })).Concat(more).ToArray();
        report.Add(root.GetProperty("metric").GetString()!, root.GetProperty("value").GetDouble(), root.GetProperty("unit").GetString()!, extra);
    }

    /// <summary>The child side: <c>open</c> (time Open, close), <c>serve</c> (the at-scale figures),
    /// <c>crash-writer</c> (write until killed).</summary>
    public static async Task<int> RunChild(string mode, Report report, BenchOptions options)
    {
        var db = options.ChildDatabase ?? throw new ArgumentException("--child needs --db");
        var started = Stopwatch.StartNew();
        using var host = EngineHost.Open(db, options.Rules);
        var openMs = started.Elapsed.TotalMilliseconds;
        switch (mode)
        {
            case "open":
                report.Add(options.ChildMetric ?? "open_ms", openMs, "ms", ("data_folder_mb", Machine.DataFolderBytes(db) / 1048576.0),
                    ("note", "IncentivesEngine.Open in a fresh process (rules load, replay of the command log, head check), warm page cache"));
                return 0;
            case "crash-writer":
                Console.Out.WriteLine("#ready");
                Console.Out.Flush();
                var random = new Random();
                await Load.ClosedLoop(256, TimeSpan.Zero, TimeSpan.FromHours(1), _ => host.Award(Id(random.Next(options.ScaleResidents)), "crash-" + Environment.ProcessId));
                return 0;
            case "serve":
                await Serve(host, report, options);
                return 0;
            default:
                throw new ArgumentException($"unknown child mode '{mode}'");
        }
    }

    private static async Task Serve(EngineHost host, Report report, BenchOptions options)
    {
        var bench = new EngineBench(report, options);
        var phase = "scale-" + Environment.ProcessId;
        // Ids are made as they are needed, so that the process holds no list of a million residents.
        var random = new Random(7);
        var residents = options.ScaleResidents;
        var consenting = residents / ConsentEvery;
        var before = host.Engine.Statistics;
        var gc = GcSnapshot.Take();
        var window = Stopwatch.StartNew();
        // A longer warm-up than in-process: a fresh process (JIT) on a large, cold store.
        var warmup = TimeSpan.FromSeconds(Math.Max(options.Quick ? 2 : 5, options.Warmup.TotalSeconds));
        var result = await Load.ClosedLoop(256, warmup, options.Duration, _ => host.Award(Id(Random.Shared.Next(residents)), phase));
        window.Stop();
        var after = host.Engine.Statistics;
        var gcDelta = GcSnapshot.Take() - gc;
        report.Add("award_per_s_at_scale", result.PerSecond, "ops/s", ("p50_ms", result.P50Ms), ("p99_ms", result.P99Ms), ("errors", result.Errors),
            ("residents", residents), ("note", "256 in flight, FAM-04 on random residents"));
        bench.Writer(EngineBench.Delta(before, after), window.Elapsed, result.Count, "_at_scale");
        bench.Gc(gcDelta, window.Elapsed, after.Commands - before.Commands, "_at_scale");

        var reads = new (string Name, Action<int> Read)[]
        {
            ("read_balance", _ => EngineBench.Consume(host.Engine.GetBalance(Id(random.Next(residents))))),
            ("read_credit_tier", _ =>
            {
                if (host.Engine.GetCredit(Id(random.Next(consenting) * ConsentEvery)) is not { Rated: true, Tier: not null })
                {
                    throw new InvalidOperationException("a consenting resident is unrated");
                }
            }),
            ("read_statement_page", _ => EngineBench.Consume(host.Engine.GetStatement(new StatementQuery(Id(random.Next(residents)), PageSize: 20)))),
        };
        foreach (var (name, read) in reads)
        {
            var idle = await Task.Run(() => Load.ReadLoop(options.ReadWarmup, options.ReadDuration, read));
            report.Add($"{name}_p50_us_at_scale_idle", Latency.PercentileUs(idle, 0.5), "us");
            report.Add($"{name}_p99_us_at_scale_idle", Latency.PercentileUs(idle, 0.99), "us", ("reads", idle.Length), ("max_us", Latency.PercentileUs(idle, 1)));
        }

        await using (var writes = new BackgroundWrites(64, _ => host.Award(Id(Random.Shared.Next(residents)), phase + "-bg")))
        {
            await Task.Delay(options.ReadWarmup);
            foreach (var (name, read) in reads)
            {
                var n = writes.Completed;
                var t = Stopwatch.GetTimestamp();
                var loaded = await Task.Run(() => Load.ReadLoop(TimeSpan.Zero, options.ReadDuration, read));
                report.Add($"{name}_p50_us_at_scale_under_load", Latency.PercentileUs(loaded, 0.5), "us");
                report.Add($"{name}_p99_us_at_scale_under_load", Latency.PercentileUs(loaded, 0.99), "us", ("reads", loaded.Length),
                    ("max_us", Latency.PercentileUs(loaded, 1)), ("awards_per_s_meanwhile", (writes.Completed - n) / Stopwatch.GetElapsedTime(t).TotalSeconds));
            }
        }

        report.Add("peak_rss_mb", Machine.PeakRssMb(), "MB", ("note", "the serving process: open on the large store, awards and reads (VmHWM)"),
            ("residents", residents));
    }

    // The id Populate gave the resident at index i.
    private static ResidentId Id(int i) => new(Prefix + (i + 1).ToString("D7", CultureInfo.InvariantCulture));

    private sealed record ScaleMarker(int Residents, long Entries, string Load, List<string>? Metrics);
}

using System.Diagnostics;

namespace Incentives.Bench;

/// <summary>What a closed-loop run measured: operations completed inside the measured window, their latencies, and the
/// failures (a refused award, an HTTP status other than the expected one, an exception).</summary>
internal sealed record LoadResult(long Count, long Errors, TimeSpan Elapsed, long[] Latencies, string? FirstError)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;

    public double P50Ms => Latency.PercentileMs(Latencies, 0.50);

    public double P99Ms => Latency.PercentileMs(Latencies, 0.99);
}

internal static class Latency
{
    /// <summary>The <paramref name="p"/> quantile of Stopwatch-tick latencies, in milliseconds (nearest rank).</summary>
    public static double PercentileMs(long[] ticks, double p)
    {
        if (ticks.Length == 0)
        {
            return double.NaN;
        }

        var sorted = (long[])ticks.Clone();
        Array.Sort(sorted);
        var rank = Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[rank] * 1000.0 / Stopwatch.Frequency;
    }

    public static double PercentileUs(long[] ticks, double p) => PercentileMs(ticks, p) * 1000;
}

internal static class Load
{
    /// <summary>
    /// Keeps <paramref name="inflight"/> operations outstanding (each worker awaits its operation, then starts the
    /// next) for <paramref name="warmup"/> + <paramref name="duration"/>. Counts and times the operations that ended
    /// inside the measured window (throughput = those ÷ the window; at a steady state every one of them started with
    /// <paramref name="inflight"/> - 1 others outstanding). The operation gets a unique sequence number and returns whether it did what
    /// was expected. <paramref name="atStart"/> and <paramref name="atEnd"/> run when the measured window opens and
    /// closes (to read counters over exactly that window).
    /// </summary>
    public static async Task<LoadResult> ClosedLoop(int inflight, TimeSpan warmup, TimeSpan duration, Func<long, Task<bool>> operation,
        Action? atStart = null, Action? atEnd = null)
    {
        long sequence = 0;
        long errors = 0;
        string? firstError = null;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perWorker = new List<long>[inflight];

        async Task Worker(int w)
        {
            var mine = new List<long>(4096);
            perWorker[w] = mine;
            await Task.Yield();
            while (true)
            {
                var began = Stopwatch.GetTimestamp();
                if (began >= measureTo)
                {
                    return;
                }

                bool ok;
                try
                {
                    ok = await operation(Interlocked.Increment(ref sequence));
                }
                catch (Exception e)
                {
                    ok = false;
                    Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
                }

                var ended = Stopwatch.GetTimestamp();
                if (ended >= measureFrom && ended <= measureTo)
                {
                    if (ok)
                    {
                        mine.Add(ended - began);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        }

        async Task Marks()
        {
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureFrom) is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero);
            atStart?.Invoke();
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureTo) is var e && e > TimeSpan.Zero ? e : TimeSpan.Zero);
            atEnd?.Invoke();
        }

        await Task.WhenAll(Enumerable.Range(0, inflight).Select(Worker).Append(Marks()));
        var latencies = perWorker.SelectMany(l => l).ToArray();
        return new LoadResult(latencies.Length, errors, duration, latencies, firstError);
    }

    /// <summary>Runs <paramref name="operation"/> for 0..count-1 with at most <paramref name="inflight"/> outstanding;
    /// throws if any fails.</summary>
    public static async Task ForEach(int count, int inflight, Func<int, Task> operation)
    {
        var next = -1;
        async Task Worker()
        {
            await Task.Yield();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await operation(i);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(inflight, Math.Max(count, 1))).Select(_ => Worker()));
    }

    /// <summary>Calls a synchronous read in a loop on this thread for <paramref name="duration"/> after a warm-up, and
    /// returns each call's latency in Stopwatch ticks.</summary>
    public static long[] ReadLoop(TimeSpan warmup, TimeSpan duration, Action<int> read)
    {
        var warmEnd = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var i = 0;
        while (Stopwatch.GetTimestamp() < warmEnd)
        {
            read(i++);
        }

        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<long>(1 << 16);
        while (true)
        {
            var began = Stopwatch.GetTimestamp();
            if (began >= end)
            {
                break;
            }

            read(i++);
            latencies.Add(Stopwatch.GetTimestamp() - began);
        }

        return [.. latencies];
    }
}

/// <summary>A background loop of awards (or any writes) that records when each one completed, so the longest gap
/// between completions in a window — how long the writer was held — can be read afterwards.</summary>
internal sealed class BackgroundWrites : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long>[] _completions;
    private readonly Task _running;
    private long _errors;

    public BackgroundWrites(int inflight, Func<long, Task<bool>> operation)
    {
        _completions = new List<long>[inflight];
        long sequence = 0;
        _running = Task.WhenAll(Enumerable.Range(0, inflight).Select(async w =>
        {
            var mine = new List<long>(8192);
            _completions[w] = mine;
            await Task.Yield();
            while (!_stop.IsCancellationRequested)
            {
                bool ok;
                try
                {
                    ok = await operation(Interlocked.Increment(ref sequence));
                }
                catch (Exception)
                {
                    ok = false;
                }

                if (ok)
                {
                    lock (mine)
                    {
                        mine.Add(Stopwatch.GetTimestamp());
                    }
                }
                else
                {
                    Interlocked.Increment(ref _errors);
                }
            }
        }));
    }

    public long Errors => Interlocked.Read(ref _errors);

    public long Completed => _completions.Sum(c =>
    {
        if (c is null)
        {
            return 0;
        }

        lock (c)
        {
            return c.Count;
        }
    });

    /// <summary>The longest time, in ms, during which no write completed, among gaps that overlap [from, to].</summary>
    public double LongestGapMs(long from, long to)
    {
        var all = new List<long>();
        foreach (var c in _completions.Where(c => c is not null))
        {
            lock (c)
            {
                all.AddRange(c);
            }
        }

        all.Sort();
        long longest = 0;
        for (var i = 1; i < all.Count; i++)
        {
            if (all[i] >= from && all[i - 1] <= to)
            {
                longest = Math.Max(longest, all[i] - all[i - 1]);
            }
        }

        return longest * 1000.0 / Stopwatch.Frequency;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}

/// <summary>The process's garbage-collection counters at one moment.</summary>
internal readonly record struct GcSnapshot(TimeSpan Pause, long Allocated, int Gen0, int Gen1, int Gen2)
{
    public static GcSnapshot Take() => new(GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public static GcSnapshot operator -(GcSnapshot a, GcSnapshot b) =>
        new(a.Pause - b.Pause, a.Allocated - b.Allocated, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2);
}

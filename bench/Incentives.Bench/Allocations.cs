using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Incentives.Bench;

/// <summary>
/// Which types the process allocates, from the runtime's sampled allocation events (one event about every 100 KB, with
/// the type of the object that crossed the mark), listened to in-process: where the bytes allocated per award go,
/// without a profiler.
/// </summary>
internal sealed class Allocations : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    /// <summary>The types with the largest sampled share, as <c>Type 41%</c>.</summary>
    public string Top(int count)
    {
        var total = Math.Max(1, _bytes.Values.Sum());
        return string.Join(", ", _bytes.OrderByDescending(kv => kv.Value).Take(count).Select(kv => $"{kv.Key} {100.0 * kv.Value / total:F0}%"));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick is verbose
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload?[t] as string : null;
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload?[a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(Short(type ?? "?"), amount, (_, v) => v + amount);
    }

    private static string Short(string type)
    {
        var end = type.IndexOfAny(['`', '[']);
        var name = end > 0 ? type[..end] : type;
        var generic = end > 0 && type[end] == '`';
        return name[(name.LastIndexOf('.') + 1)..] + (generic ? "<>" : string.Empty) + (type.EndsWith("[]", StringComparison.Ordinal) ? "[]" : string.Empty);
    }
}

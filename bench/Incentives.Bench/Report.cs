using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Incentives.Bench;

/// <summary>One measured figure, printed as one JSON line: <c>{"metric":…,"value":…,"unit":…}</c> plus extra fields.</summary>
internal sealed record Metric(string Name, double Value, string Unit, IReadOnlyList<KeyValuePair<string, object>> Extra);

/// <summary>
/// Prints every metric as one JSON object per line on stdout the moment it is measured, keeps them for the
/// markdown rows (<c>--markdown</c>) and for the ratios computed from earlier figures, and knows the goals of issue 12.
/// </summary>
internal sealed class Report
{
    private static readonly Dictionary<string, Goal> Goals = new(StringComparer.Ordinal)
    {
        ["award_per_s_inflight_256"] = new("≥ 10,000", v => v >= 10_000),
        ["award_vs_raw_ratio"] = new("≥ 0.35 (stretch 0.5)", v => v >= 0.35),
        ["group_commit_speedup"] = new("≥ 20", v => v >= 20),
        ["docs_written_per_award"] = new("≤ 3", v => v > 0 ? v <= 3 : null),
        ["bytes_per_entry"] = new("≤ 600 (stretch 400)", v => v <= 600),
        ["bytes_per_entry_small"] = new("≤ 600 (stated at scale)", v => v <= 600),
        ["award_at_scale_vs_empty_ratio"] = new("≥ 0.8", v => v >= 0.8),
        ["read_balance_p99_us_at_scale_idle"] = new("< 1,000", v => v < 1000),
        ["read_balance_p99_us_at_scale_under_load"] = new("< 1,000", v => v < 1000),
        ["read_credit_tier_p99_us_at_scale_idle"] = new("< 1,000", v => v < 1000),
        ["read_credit_tier_p99_us_at_scale_under_load"] = new("< 1,000", v => v < 1000),
        ["read_balance_p99_us_idle"] = new("< 1,000 (stated at scale)", v => v < 1000),
        ["read_balance_p99_us_under_load"] = new("< 1,000 (stated at scale)", v => v < 1000),
        ["read_credit_tier_p99_us_idle"] = new("< 1,000 (stated at scale)", v => v < 1000),
        ["read_credit_tier_p99_us_under_load"] = new("< 1,000 (stated at scale)", v => v < 1000),
        ["peak_rss_mb"] = new("< 512 at 1M/10M", v => v < 512),
        ["peak_rss_mb_serving"] = new("< 512 at 1M/10M", v => v < 512),
        ["api_tier_vs_health_ratio"] = new("≥ 0.3 (stretch 0.6)", v => v >= 0.3),
        ["api_award_per_s"] = new("≥ 3,000", v => v >= 3000),
        ["eligibility_batch_10k_ms"] = new("< 300", v => v < 300),
        ["reserve_contended_per_s"] = new("≥ 5,000", v => v >= 5000),
        ["reserve_contended_winners"] = new("= 100 (zero oversell)", v => Math.Abs(v - 100) < 0.5),
    };

    private readonly List<Metric> _metrics = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<Metric> Metrics
    {
        get
        {
            lock (_gate)
            {
                return [.. _metrics];
            }
        }
    }

    /// <summary>Problems that make the run fail (exit 1) after everything else was printed.</summary>
    public List<string> Failures { get; } = [];

    public void Add(string name, double value, string unit, params (string Key, object Value)[] extra)
    {
        var metric = new Metric(name, Round(value, unit), unit, extra.Select(e => new KeyValuePair<string, object>(e.Key, e.Value)).ToList());
        lock (_gate)
        {
            _metrics.Add(metric);
            Console.Out.WriteLine(ToJson(metric));
            Console.Out.Flush();
        }
    }

    public double? Find(string name)
    {
        lock (_gate)
        {
            return _metrics.LastOrDefault(m => m.Name == name)?.Value;
        }
    }

    public void Fail(string problem)
    {
        lock (_gate)
        {
            Failures.Add(problem);
        }

        Console.Error.WriteLine("BENCH FAILURE: " + problem);
        Add("failure", 1, "count", ("note", problem));
    }

    /// <summary>Markdown table rows for docs/benchmarks.md: metric, value, unit, goal, met, note.</summary>
    public string Markdown(string heading)
    {
        var text = new StringBuilder();
        text.AppendLine(heading);
        text.AppendLine();
        text.AppendLine("| Metric | Value | Unit | Goal | Met | Note |");
        text.AppendLine("|---|---:|---|---|---|---|");
        foreach (var m in Metrics.Where(m => m.Name != "machine"))
        {
            var goal = Goals.GetValueOrDefault(m.Name);
            var met = goal?.Met(m.Value) switch
            {
                true => "yes",
                false => "**no**",
                null => goal is null ? string.Empty : "n/a",
            };
            var note = string.Join("; ", m.Extra.Select(e => $"{e.Key}={Format(e.Value)}")).Replace("|", "\\|", StringComparison.Ordinal);
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{m.Name}` | {m.Value.ToString("#,0.###", CultureInfo.InvariantCulture)} | {m.Unit} | {goal?.Text} | {met} | {note} |");
        }

        return text.ToString();
    }

    public static string ToJson(Metric metric)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("metric", metric.Name);
            json.WriteNumber("value", metric.Value);
            json.WriteString("unit", metric.Unit);
            if (Goals.TryGetValue(metric.Name, out var goal))
            {
                json.WriteString("goal", goal.Text);
                if (goal.Met(metric.Value) is { } met)
                {
                    json.WriteBoolean("met", met);
                }
            }

            foreach (var (key, value) in metric.Extra)
            {
                switch (value)
                {
                    case double d when double.IsNaN(d) || double.IsInfinity(d):
                        json.WriteNull(key);
                        break;
                    case double d:
                        json.WriteNumber(key, Math.Round(d, 3));
                        break;
                    case int or long:
                        json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                        break;
                    case bool b:
                        json.WriteBoolean(key, b);
                        break;
                    default:
                        json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    // Throughputs to the unit, times to 0.1 µs / 0.01 ms, ratios and shares to 3 decimals.
    private static double Round(double value, string unit) => unit switch
    {
        _ when double.IsNaN(value) || double.IsInfinity(value) => -1,
        "ops/s" or "docs/s" or "req/s" or "entries/s" or "bytes" or "count" => Math.Round(value),
        "us" => Math.Round(value, 1),
        "ms" or "s" or "MB" or "bytes/entry" => Math.Round(value, 2),
        _ => Math.Round(value, 3),
    };

    // Met is null where the figure is not measured yet (a counter this build leaves at 0).
    private sealed record Goal(string Text, Func<double, bool?> Met);
}

using System.Globalization;

namespace Incentives.Bench;

/// <summary>The command line: <c>--quick</c>, <c>--markdown</c>, <c>--only a,b</c>, <c>--residents N --entries M</c>
/// (scale), <c>--no-scale</c>, <c>--seconds S</c>, <c>--temp DIR</c>, <c>--keep</c>, <c>--scale-dir DIR</c>.</summary>
internal sealed class BenchOptions
{
    public static readonly string[] Sections = ["raw", "award", "naive", "reserve", "reads", "eligibility", "api", "scale"];

    public const string Usage = """
        Incentives benchmarks: one JSON object per line on stdout (docs/benchmarks.md).
          --quick              short runs and a small scale run (5,000 residents, 20,000 entries unless given): every
                               metric's name appears, in under 3 minutes on 2 cores
          --markdown           also print the results as markdown table rows at the end
          --only a,b           only these sections: raw, award, naive, reserve, reads, eligibility, api, scale
          --no-scale           the full set without the scale run
          --residents N        scale run: residents (default 1000000; quick 5000)
          --entries M          scale run: journal entries (default 10000000; quick 20000)
          --verify-all         scale run: verify the whole loaded ledger (always when M <= 20000; hours at 10M)
          --load-inflight K    scale run, award/adjust loads: commands in flight while loading (default 4000)
          --load-kind KIND     scale run: bulk (the default: the engine's documents written straight into the store, cloned from
                               engine-written templates), award (FAM-04 commands through the engine) or adjust (adjustment commands)
          --scale-dir DIR      scale run: keep the loaded store in DIR; a later run with the same N and M reuses it
          --seconds S          measured seconds per throughput figure (default 2 quick, 10 full)
          --temp DIR           where the temporary stores go (default the system temp folder)
          --keep               keep the temporary stores
        """;

    private int? _scaleResidents;
    private long? _scaleEntries;

    public bool Quick { get; private set; }

    public bool Help { get; private set; }

    public bool Markdown { get; private set; }

    public bool Keep { get; private set; }

    public HashSet<string> Only { get; } = new(StringComparer.Ordinal);

    public bool NoScale { get; private set; }

    public int ScaleResidents => _scaleResidents ?? (Quick ? 5_000 : 1_000_000);

    public long ScaleEntries => _scaleEntries ?? (Quick ? 20_000 : 10_000_000);

    public bool VerifyAll { get; private set; }

    public int LoadInflight { get; private set; } = 4000;

    public string LoadKind { get; private set; } = "bulk";

    public string? ScaleDir { get; private set; }

    public double? Seconds { get; private set; }

    public string TempRoot { get; private set; } = Path.Combine(Path.GetTempPath(), "incentives-bench-" + Environment.ProcessId);

    public string Rules { get; set; } = "rules";

    public string RepositoryRoot { get; set; } = ".";

    /// <summary>Child-process modes used by the scale run (<c>--child open|serve|crash-writer</c>).</summary>
    public string? Child { get; private set; }

    public string? ChildDatabase { get; private set; }

    public string? ChildMetric { get; private set; }

    public int EngineResidents => Quick ? 10_000 : 20_000;

    public TimeSpan Warmup => TimeSpan.FromSeconds(Quick ? 0.5 : 2);

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds ?? (Quick ? 2 : 10));

    public TimeSpan RawDuration => TimeSpan.FromSeconds(Seconds ?? (Quick ? 1.5 : 5));

    public TimeSpan ReadWarmup => TimeSpan.FromSeconds(Quick ? 0.3 : 1);

    public TimeSpan ReadDuration => TimeSpan.FromSeconds(Seconds is { } s ? s / 2 : Quick ? 0.8 : 5);

    public TimeSpan ApiWarmup => TimeSpan.FromSeconds(Quick ? 0.5 : 2);

    public TimeSpan ApiDuration => TimeSpan.FromSeconds(Seconds ?? (Quick ? 2 : 10));

    public int ReserveRounds => Quick ? 3 : 7;

    public int EligibilityRepeats => Quick ? 1 : 5;

    public bool Runs(string section) =>
        (Only.Count == 0 || Only.Contains(section)) && !(section == "scale" && NoScale && !Only.Contains("scale"));

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick":
                    o.Quick = true;
                    break;
                case "--markdown":
                    o.Markdown = true;
                    break;
                case "--keep":
                    o.Keep = true;
                    break;
                case "--verify-all":
                    o.VerifyAll = true;
                    break;
                case "--no-scale":
                    o.NoScale = true;
                    break;
                case "--only":
                    foreach (var s in Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        o.Only.Add(Sections.Contains(s) ? s : throw new ArgumentException($"unknown section '{s}'"));
                    }

                    break;
                case "--residents":
                    o._scaleResidents = int.Parse(Next(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                    break;
                case "--entries":
                    o._scaleEntries = long.Parse(Next(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                    break;
                case "--load-inflight":
                    o.LoadInflight = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--load-kind":
                    o.LoadKind = Next() is "bulk" or "award" or "adjust" ? args[i] : throw new ArgumentException("--load-kind is bulk, award or adjust");
                    break;
                case "--scale-dir":
                    o.ScaleDir = Path.GetFullPath(Next());
                    break;
                case "--seconds":
                    o.Seconds = double.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--temp":
                    o.TempRoot = Path.Combine(Path.GetFullPath(Next()), "incentives-bench-" + Environment.ProcessId);
                    break;
                case "--rules":
                    o.Rules = Path.GetFullPath(Next());
                    break;
                case "--child":
                    o.Child = Next();
                    break;
                case "--db":
                    o.ChildDatabase = Next();
                    break;
                case "--metric":
                    o.ChildMetric = Next();
                    break;
                case "--help" or "-h":
                    o.Help = true;
                    break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}'\n{Usage}");
            }
        }

        return o;
    }

    public string NewTempFolder(string name)
    {
        var dir = Path.Combine(TempRoot, name);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The arguments a child process gets to rebuild these options.</summary>
    public IEnumerable<string> ChildArguments()
    {
        yield return "--rules";
        yield return Rules;
        yield return "--residents";
        yield return ScaleResidents.ToString(CultureInfo.InvariantCulture);
        if (Quick)
        {
            yield return "--quick";
        }

        if (Seconds is { } s)
        {
            yield return "--seconds";
            yield return s.ToString(CultureInfo.InvariantCulture);
        }
    }
}

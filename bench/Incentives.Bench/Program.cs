using System.Diagnostics;
using Incentives.Bench;

// The benchmark harness of issue 12 (docs/benchmarks.md). Every figure is printed as one JSON object per line the
// moment it is measured; progress goes to stderr. Exit 1 when a check failed (e.g. the reservation race did not have
// exactly 100 winners), 2 on a usage error.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

options.RepositoryRoot = Machine.RepositoryRoot();
if (options.Rules == "rules")
{
    options.Rules = Path.Combine(options.RepositoryRoot, "rules");
}

var report = new Report();
if (options.Child is { } child)
{
    return await ScaleBench.RunChild(child, report, options);
}

Machine.Describe(report, options);
if (Machine.Configuration != "Release")
{
    Console.Error.WriteLine($"warning: this is a {Machine.Configuration} build; run with -c Release for figures worth recording");
}

var total = Stopwatch.StartNew();
Directory.CreateDirectory(options.TempRoot);
try
{
    if (options.Runs("raw"))
    {
        Progress("raw LiteDB");
        RawLiteDb.Run(report, options);
    }

    if (new[] { "award", "naive", "reserve", "reads", "eligibility" }.Any(options.Runs))
    {
        Progress("engine");
        await new EngineBench(report, options).Run();
    }

    if (options.Runs("api"))
    {
        Progress("HTTP API");
        await new ApiBench(report, options).Run();
    }

    if (options.Runs("scale"))
    {
        Progress($"scale: {options.ScaleResidents:N0} residents, {options.ScaleEntries:N0} entries");
        await new ScaleBench(report, options).Run();
    }
}
catch (Exception e)
{
    report.Fail($"the benchmark stopped: {e}");
}
finally
{
    if (!options.Keep)
    {
        try
        {
            Directory.Delete(options.TempRoot, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"could not delete {options.TempRoot}: {e.Message}");
        }
    }
}

report.Add("machine_load_at_end", Machine.LoadAverage(), "load", ("cpu_available_share", Machine.CpuAvailableShare()),
    ("note", "1-minute load average and the share of the cores this process could get, at the end of the run"));
report.Add("peak_rss_mb_process", Machine.PeakRssMb(), "MB", ("note", "the whole benchmark process (VmHWM)"));
report.Add("bench_seconds", total.Elapsed.TotalSeconds, "s");
if (options.Markdown)
{
    Console.WriteLine();
    Console.WriteLine(report.Markdown($"Run: {(options.Quick ? "quick" : "full")}, {DateTime.UtcNow:yyyy-MM-dd} UTC" +
        (options.Runs("scale") ? $", scale {options.ScaleResidents:N0} residents / {options.ScaleEntries:N0} entries" : string.Empty)));
}

return report.Failures.Count == 0 ? 0 : 1;

void Progress(string what) => Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] {what}");

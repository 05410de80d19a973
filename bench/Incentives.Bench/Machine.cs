using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Incentives.Bench;

/// <summary>The machine, the process's memory, and where things are.</summary>
internal static class Machine
{
    public static string Configuration =>
        typeof(Machine).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown";

    public static void Describe(Report report, BenchOptions options)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memoryMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024.0);
        report.Add("machine", Environment.ProcessorCount, "cores",
            ("os", RuntimeInformation.OSDescription),
            ("cpu", cpu ?? RuntimeInformation.ProcessArchitecture.ToString()),
            ("memory_mb", Math.Round(memoryMb)),
            ("dotnet", RuntimeInformation.FrameworkDescription),
            ("configuration", Configuration),
            ("gc", System.Runtime.GCSettings.IsServerGC ? "server" : "workstation"),
            ("mode", options.Quick ? "quick" : "full"),
            ("load_average_1m", LoadAverage()),
            ("cpu_available_share", CpuAvailableShare()),
            ("utc", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            ("temp", options.TempRoot));
    }

    /// <summary>The 1-minute load average (other processes compete for the same cores), -1 where unknown.</summary>
    public static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : -1;

    /// <summary>Spins one thread per core for half a second and returns the share of the cores' time this process got:
    /// about 1 on an idle machine, less when other processes run. Printed with the machine so a noisy run shows.</summary>
    public static double CpuAvailableShare()
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            var end = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
            var x = 0UL;
            while (Stopwatch.GetTimestamp() < end)
            {
                x = unchecked((x * 6364136223846793005UL) + 1442695040888963407UL);
            }

            GC.KeepAlive(x);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        process.Refresh();
        return Math.Round((process.TotalProcessorTime - cpuBefore).TotalSeconds / (wall.Elapsed.TotalSeconds * Environment.ProcessorCount), 3);
    }

    /// <summary>Peak resident set (VmHWM) of this process in MiB; PeakWorkingSet64 where /proc is missing.</summary>
    public static double PeakRssMb() => ProcStatusKb("VmHWM:") is { } kb ? kb / 1024.0 : Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

    public static double RssMb() => ProcStatusKb("VmRSS:") is { } kb ? kb / 1024.0 : Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0);

    /// <summary>CPU time (user + system) of another process, from /proc/PID/stat; null where unavailable.</summary>
    public static TimeSpan? CpuTimeOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 0, utime field 11, stime field 12 (clock ticks, 100 a second on Linux).
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The repository root: the nearest folder above the program or the working directory holding
    /// Incentives.sln and rules/.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Incentives.sln")) && Directory.Exists(Path.Combine(dir.FullName, "rules")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Incentives.sln and rules/) above the working directory or the program");
    }

    /// <summary>Bytes this process has caused to be written to storage (/proc/self/io write_bytes), 0 where unknown.</summary>
    public static long DiskWriteBytes()
    {
        const string io = "/proc/self/io";
        return File.Exists(io) && File.ReadLines(io).FirstOrDefault(l => l.StartsWith("write_bytes:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.AsSpan("write_bytes:".Length).Trim(), CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>CPU time (user + system) this process has used.</summary>
    public static TimeSpan CpuTime() => Process.GetCurrentProcess().TotalProcessorTime;

    public static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>Every file whose name starts with the data file's name (the data file, LiteDB's -log file, the command
    /// log, the key and head files).</summary>
    public static long DataFolderBytes(string databasePath)
    {
        var dir = Path.GetDirectoryName(databasePath)!;
        var stem = Path.GetFileNameWithoutExtension(databasePath);
        return Directory.EnumerateFiles(dir).Where(f => Path.GetFileName(f).StartsWith(stem, StringComparison.Ordinal)).Sum(FileSize);
    }

    private static long? ProcStatusKb(string field)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Incentives.Tests.Support;

/// <summary>What a command of the built Incentives.Api printed, and its exit code.</summary>
public sealed record CommandRun(int ExitCode, string Output, string Error);

/// <summary>
/// The built Incentives.Api as a separate OS process, started as the README starts it: <c>dotnet exec
/// Incentives.Api.dll</c> from the repository root, with only <c>--urls</c> on a free loopback port and <c>--data</c>
/// on a temp folder (plus any extra arguments). It can be killed (SIGKILL), stopped (SIGTERM) and restarted on the same
/// data, as often as a test likes; the temp data folder is deleted on dispose.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private readonly StringBuilder _log = new();
    private readonly string[] _extraArgs;
    private readonly string _workingDirectory;
    private Process? _process;

    private ServiceProcess(string dataDirectory, string[] extraArgs, string workingDirectory)
    {
        DataDirectory = dataDirectory;
        _extraArgs = extraArgs;
        _workingDirectory = workingDirectory;
    }

    /// <summary>The Incentives.Api.dll the test project's build put next to the tests (with appsettings.json and wwwroot/).</summary>
    public static string ApiDll { get; } = Path.Combine(AppContext.BaseDirectory, "Incentives.Api.dll");

    public string DataDirectory { get; }

    public int Port { get; private set; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>A client for <see cref="BaseUrl"/>; a new one after each start, so no connection outlives a kill.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>Whatever the process wrote to stdout and stderr, over every start.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the service on a fresh temp data folder and returns once <c>/health</c> answers 200.</summary>
    /// <param name="extraArgs">Arguments after <c>--urls</c> and <c>--data</c>, e.g. <c>--no-demo</c>.</param>
    /// <param name="workingDirectory">Default the repository root, as in the README.</param>
    /// <param name="timeout">For the start; default 2 minutes (the first start seeds demo data).</param>
    /// <param name="dataDirectory">A data folder of the caller's (e.g. on a small file system); default a fresh temp one.</param>
    public static async Task<ServiceProcess> StartAsync(string[]? extraArgs = null, string? workingDirectory = null, TimeSpan? timeout = null, string? dataDirectory = null)
    {
        var service = Create(extraArgs, workingDirectory, dataDirectory);
        try
        {
            await service.LaunchAsync(FreePort(), timeout ?? DefaultTimeout);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>A service not started yet (see <see cref="LaunchAsync(bool)"/>).</summary>
    public static ServiceProcess Create(string[]? extraArgs = null, string? workingDirectory = null, string? dataDirectory = null) =>
        new(dataDirectory ?? Path.Combine(Path.GetTempPath(), "incentives-process-" + Guid.NewGuid().ToString("N")), extraArgs ?? [], workingDirectory ?? Repo.Root);

    /// <summary>Starts the process without waiting for it to be healthy (to kill it during its first start, or to
    /// watch it refuse to start); <see cref="WaitForExitAsync"/> then gives its exit code.</summary>
    public Task LaunchAsync(bool newPort = true) => LaunchAsync(newPort || Port == 0 ? FreePort() : Port, TimeSpan.Zero, wait: false);

    /// <summary>Waits for the process to exit by itself.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var process = _process ?? throw new InvalidOperationException("the service was never started");
        await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(1));
        process.WaitForExit(); // the last lines of the log
        return process.ExitCode;
    }

    /// <summary>Starts the service again on the same data folder, on the same port unless <paramref name="newPort"/>.</summary>
    public Task RestartAsync(bool newPort = false, TimeSpan? timeout = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the service is still running: kill or stop it first");
        }

        return LaunchAsync(newPort ? FreePort() : Port, timeout ?? DefaultTimeout);
    }

    /// <summary>SIGKILL to the whole process tree: no shutdown code runs, as in a power cut.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as <c>systemctl stop</c> or Ctrl+C would, and waits for a graceful exit.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        var process = _process ?? throw new InvalidOperationException("the service was never started");
        if (!process.HasExited && Kill(process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await KillAsync();
            throw new TimeoutException($"the service did not stop on SIGTERM:{Environment.NewLine}{Log}");
        }

        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Http.Dispose();
        if (Directory.Exists(DataDirectory) && DataDirectory.StartsWith(Path.GetTempPath(), StringComparison.Ordinal))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    /// <summary>Runs the built Incentives.Api to its exit (a command, <c>--help</c>, a mistake) from the repository root.</summary>
    public static async Task<CommandRun> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args, Repo.Root))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // Most likely the service started instead of the command.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not exit within 30 s:{Environment.NewLine}{await output}{await error}");
        }

        return new CommandRun(process.ExitCode, await output, await error);
    }

    private async Task LaunchAsync(int port, TimeSpan timeout, bool wait = true)
    {
        _process?.Dispose();
        Http.Dispose();
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var process = Process.Start(StartInfo(["--urls", BaseUrl, "--data", DataDirectory, .. _extraArgs], _workingDirectory))!;
        _process = process;
        Append($"--- started pid {process.Id}: {string.Join(' ', process.StartInfo.ArgumentList)}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!wait)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(timeout);
        while (!await HealthyAsync(deadline.Token))
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // the last lines of the log
                throw new InvalidOperationException($"the service exited with code {process.ExitCode} before it was healthy:{Environment.NewLine}{Log}");
            }

            if (deadline.IsCancellationRequested)
            {
                await KillAsync();
                throw new TimeoutException($"the service was not healthy at {BaseUrl}/health within {timeout}:{Environment.NewLine}{Log}");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    private async Task<bool> HealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false; // not listening yet, or the deadline passed: the caller decides
        }
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(ApiDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // As from a newcomer's shell: no environment chosen, so Production.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        return start;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // DllImport rather than LibraryImport, which would need unsafe code enabled for the whole test project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

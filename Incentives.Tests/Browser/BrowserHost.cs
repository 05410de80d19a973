using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Incentives.Tests.Support;
using Microsoft.Playwright;

namespace Incentives.Tests.Browser;

/// <summary>
/// The real service on a loopback port (demo data in a temp folder) and headless Debian Chromium driven by Playwright.
/// Chromium comes from the machine (<c>apt-get install chromium</c>), never from a download.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "incentives-browser-" + Guid.NewGuid().ToString("N"));
    private Process? _server;
    private IPlaywright? _playwright;

    public static bool Available => File.Exists(ChromiumPath);

    public string BaseUrl { get; private set; } = string.Empty;

    public IBrowser Browser { get; private set; } = null!;

    public JsonElement Keys { get; private set; }

    public string ServerLog => _log.ToString();

    private readonly System.Text.StringBuilder _log = new();

    public static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(Repo.Root, "docs", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    /// <summary>Skips on a developer machine without Chromium; in CI the missing browser is a failure.</summary>
    public static void RequireChromium()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.True(Available, $"Chromium is missing at {ChromiumPath}: .ci/run installs it with apt-get");
        }

        Skip.IfNot(Available, $"Chromium is not installed at {ChromiumPath} (apt-get install chromium)");
    }

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var api = Path.Combine(AppContext.BaseDirectory, "Incentives.Api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", api, "--urls", BaseUrl, "--data", _data, "--contentRoot", Path.Combine(Repo.Root, "Incentives.Api"), "--rules", Repo.Rules },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Ready when the host says so: hosted services (the demo seeding) have run by then.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (line?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        }

        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, e) => Collect(e.Data);
        _server.ErrorDataReceived += (_, e) => Collect(e.Data);
        _server.EnableRaisingEvents = true;
        _server.Exited += (_, _) => started.TrySetException(new InvalidOperationException("the service exited: " + ServerLog));
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        await started.Task.WaitAsync(TimeSpan.FromMinutes(3));
        var keys = Path.Combine(_data, "demo-keys.json");
        Keys = JsonDocument.Parse(await File.ReadAllTextAsync(keys)).RootElement;
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> Page(int width, int height)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = BaseUrl });
        return await context.NewPageAsync();
    }

    public string Kiosk => Keys.GetProperty("communities")[0].GetProperty("stores")[0].GetProperty("kioskKey").GetString()!;

    public string Staff => Keys.GetProperty("communities")[0].GetProperty("staffKey").GetString()!;

    public JsonElement Resident(int i) => Keys.GetProperty("communities")[0].GetProperty("residents")[i];

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Text.Json;
using Incentives.Tests.Support;
using Microsoft.Playwright;

namespace Incentives.Tests.Browser;

/// <summary>
/// The real service as a process (<see cref="ServiceProcess"/>: a loopback port, demo data in a temp folder) and headless
/// Debian Chromium driven by Playwright.
/// Chromium comes from the machine (<c>apt-get install chromium</c>), never from a download.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private ServiceProcess? _service;
    private IPlaywright? _playwright;

    public static bool Available => File.Exists(ChromiumPath);

    public string BaseUrl => _service?.BaseUrl ?? string.Empty;

    public IBrowser Browser { get; private set; } = null!;

    public JsonElement Keys { get; private set; }

    public string ServerLog => _service?.Log ?? string.Empty;

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

        // Started as the README starts it, from the repository root: the pages and the rules are found without help.
        _service = await ServiceProcess.StartAsync();
        Keys = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_service.DataDirectory, "demo-keys.json"))).RootElement;
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

    /// <summary>A staff desk (<c>/staff/</c>) signed in as a demo member of the first community (0 recorder,
    /// 1 reviewer, 2 manager), in the community's zone, showing the residents section.</summary>
    public async Task<IPage> DeskSignedIn(int role, int width, int height, bool acceptDownloads = false)
    {
        var member = Keys.GetProperty("communities")[0].GetProperty("staff")[role];
        var context = await Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height }, BaseURL = BaseUrl, TimezoneId = "Asia/Shanghai", AcceptDownloads = acceptDownloads,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/staff/");
        await page.FillAsync("#signin-id", member.GetProperty("id").GetString()!);
        await page.FillAsync("#signin-password", member.GetProperty("password").GetString()!);
        await page.PressAsync("#signin-password", "Enter");
        await Assertions.Expect(page.Locator("#residents")).ToBeVisibleAsync();
        return page;
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
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}

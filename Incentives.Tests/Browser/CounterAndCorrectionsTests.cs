using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Incentives.Tests.Browser;

[CollectionDefinition("counter-corrections-browser")]
public sealed class CounterAndCorrectionsBrowserGroup : ICollectionFixture<BrowserHost>;

/// <summary>Issue 14 at the staff desk, in headless Chromium against the real service with its demo data, signed in as
/// the demo manager of <c>east</c>: the counter (取货核销) shows what it hands over and refuses a second hand-over, prints
/// a slip; a reversal asks why and is confirmed, then the line says who reversed it; the statement pages and filters.</summary>
[Collection("counter-corrections-browser")]
public sealed class CounterAndCorrectionsTests(BrowserHost host) : IDisposable
{
    private const int Width = 1366, Height = 900, Manager = 2;
    private static int _keys;

    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [SkippableFact]
    public async Task Counter_ShowsTheResidentAndLinesBeforeHandingOver_ASecondScanSaysAlreadyHandedOver_AndTheSlipPrints()
    {
        BrowserHost.RequireChromium();
        var resident = host.Resident(20).GetProperty("id").GetString()!;
        var name = await ResidentName(resident);
        await Staff("POST", $"/api/v1/residents/{resident}/adjustments", new { points = 200, reason = "测试取货" });
        var reservation = await Staff("POST", "/api/v1/stores/east-mall/reservations",
            new { residentId = resident, lines = new[] { new { sku = "RICE", quantity = 1 }, new { sku = "TOWEL", quantity = 2 } } });
        var code = reservation.GetProperty("pickupCode").GetString()!;
        var masked = name[..1] + new string('*', name.Length - 1);

        var page = await SignedIn();
        await page.ClickAsync("nav [data-view=pickup]");
        await Assertions.Expect(page.Locator("nav [data-view=pickup]")).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.Locator("nav [data-view=residents]")).Not.ToHaveAttributeAsync("aria-current", "page");
        await page.FillAsync("#pickup-code", code.ToLowerInvariant());
        await page.PressAsync("#pickup-code", "Enter");

        // Before anything is handed over: who (masked), what, the held points and the deadline.
        await Assertions.Expect(page.Locator("#pickup-summary")).ToContainTextAsync($"居民 {masked}");
        await Assertions.Expect(page.Locator("#pickup-summary")).ToContainTextAsync($"冻结 {reservation.GetProperty("heldPoints").GetInt64()} 分");
        await Assertions.Expect(page.Locator("#pickup-summary")).ToContainTextAsync("取货截止");
        await Assertions.Expect(page.Locator("#pickup-lines tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#pickup-lines")).ToContainTextAsync("大米 5kg");
        await Assertions.Expect(page.Locator("#fulfil")).ToBeEnabledAsync();
        Assert.DoesNotContain(name, await page.Locator("#pickup").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-counter.png"), FullPage = true });

        // The printable slip: only the slip, with the code, the QR code, the lines and the deadline.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("#pickup-slip")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#pickup-slip .code")).ToHaveTextAsync(code);
        await Assertions.Expect(page.Locator("#pickup-slip .qr svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#pickup-slip")).ToContainTextAsync("取货截止");
        await Assertions.Expect(page.Locator("nav")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#fulfil")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-pickup-slip-print.png") });
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        await page.ClickAsync("#fulfil");
        await Assertions.Expect(page.Locator("#pickup-result")).ToContainTextAsync($"已交付给 {masked}");
        await Assertions.Expect(page.Locator("#pickup-result")).ToContainTextAsync("大米 5kg × 1");
        Assert.DoesNotContain("预约 ", await page.Locator("#pickup-result").InnerTextAsync(), StringComparison.Ordinal);

        // Scanned again: already handed over, when and by whom; nothing to confirm.
        var managerName = host.Keys.GetProperty("communities")[0].GetProperty("staff")[Manager].GetProperty("name").GetString()!;
        await page.FillAsync("#pickup-code", string.Empty);
        await page.FillAsync("#pickup-code", code);
        await Assertions.Expect(page.Locator("#pickup-result")).ToContainTextAsync("已交付");
        await Assertions.Expect(page.Locator("#pickup-result")).ToContainTextAsync($"由 {managerName} 交付");
        await Assertions.Expect(page.Locator("#fulfil")).ToBeDisabledAsync();
    }

    [SkippableFact]
    public async Task Reversal_AsksForAReasonAndConfirmation_ThenTheLineSaysWhoReversedIt_AndTheStatementPagesAndFiltersByDate()
    {
        BrowserHost.RequireChromium();
        var resident = host.Resident(21).GetProperty("id").GetString()!;
        for (var i = 1; i <= 22; i++)
        {
            await Staff("POST", $"/api/v1/residents/{resident}/adjustments", new { points = i, reason = $"测试调整 {i}" });
        }

        await Staff("POST", $"/api/v1/residents/{resident}/consent", null);
        await Staff("DELETE", $"/api/v1/residents/{resident}/consent", null);
        var page = await SignedIn();
        // The keyboard reaches and opens a search result.
        await page.FocusAsync("#search");
        await page.Keyboard.TypeAsync(resident);
        await Assertions.Expect(page.Locator("#results button")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"#results button[data-id='{resident}']")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator($"#results button[data-id='{resident}']")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#detail")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#detail-consent")).ToContainTextAsync("信用评价");
        // The consent history, newest first: the withdrawal above the consent.
        await Assertions.Expect(page.Locator("#detail-consents li").First).ToContainTextAsync("撤回同意");
        await Assertions.Expect(page.Locator("#detail-consents li").Nth(1)).ToContainTextAsync("同意 · 经办");

        // Pages of 20.
        await Assertions.Expect(page.Locator("#statement tr")).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator("#statement-page")).ToContainTextAsync("第 1 /");
        await Assertions.Expect(page.Locator("#statement-prev")).ToBeDisabledAsync();
        await page.ClickAsync("#statement-next");
        await Assertions.Expect(page.Locator("#statement-page")).ToContainTextAsync("第 2 /");
        await page.ClickAsync("#statement-prev");
        await Assertions.Expect(page.Locator("#statement-page")).ToContainTextAsync("第 1 /");

        // Filters by date: a month long past is empty; today holds the adjustments just made.
        await page.FillAsync("#statement-from", "2020-01-01");
        await page.FillAsync("#statement-to", "2020-01-31");
        await page.ClickAsync("#statement-filter button[type=submit]");
        await Assertions.Expect(page.Locator("#statement-page")).ToContainTextAsync("共 0 条");
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.FillAsync("#statement-from", today);
        await page.FillAsync("#statement-to", today);
        await page.SelectOptionAsync("#statement-kind", "adjustment");
        await page.ClickAsync("#statement-filter button[type=submit]");
        // The demo history may hold an adjustment of its own today: at least the 22 made here, and only adjustments.
        await Assertions.Expect(page.Locator("#statement-page")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("共 (2[2-9]|[3-9][0-9]) 条"));
        var total = int.Parse(System.Text.RegularExpressions.Regex.Match(await page.Locator("#statement-page").InnerTextAsync(), "共 (\\d+) 条").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.All(await page.Locator("#statement tr td:nth-child(2)").AllInnerTextsAsync(), kind => Assert.Equal("调整", kind));

        // Reversal: what will be reversed, and why (其他 needs words), then confirmed.
        var row = page.Locator("#statement tr", new() { HasText = "测试调整 22" });
        var entry = await row.GetAttributeAsync("data-entry");
        await row.Locator("button.reverse").ClickAsync();
        await Assertions.Expect(page.Locator("#reverse-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#reverse-what")).ToContainTextAsync("将冲正");
        await Assertions.Expect(page.Locator("#reverse-what")).ToContainTextAsync("+22");
        await page.SelectOptionAsync("#reverse-reason", "other");
        await page.ClickAsync("#reverse-confirm");
        await Assertions.Expect(page.Locator("#reverse-error")).ToContainTextAsync("请填写冲正原因");
        await page.SelectOptionAsync("#reverse-reason", "重复录入");
        await page.ClickAsync("#reverse-confirm");
        await Assertions.Expect(page.Locator("#reverse-dialog")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#reverse-result")).ToContainTextAsync("已冲正");

        var managerName = host.Keys.GetProperty("communities")[0].GetProperty("staff")[Manager].GetProperty("name").GetString()!;
        var reversed = page.Locator($"#statement tr[data-entry='{entry}']");
        await Assertions.Expect(reversed).ToContainTextAsync($"由 {managerName} 冲正");
        await Assertions.Expect(reversed.Locator("button")).ToHaveCountAsync(0);
        var statement = await Staff("GET", $"/api/v1/residents/{resident}/statement?kind=reversal", null);
        Assert.Equal("重复录入", statement.GetProperty("items")[0].GetProperty("reason").GetString());
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-resident-statement.png"), FullPage = true });

        // The CSV: UTF-8 with a BOM, every line of the filters.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#statement-csv"));
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("流水号,时间,类型", csv, StringComparison.Ordinal);
        Assert.Contains("测试调整 22", csv, StringComparison.Ordinal);
        Assert.Equal(total + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [SkippableFact]
    public async Task RecordForm_NamesTheResident_ShowsUnitsInChinese_EnterDoesNotSave_AndTheSavedResultStays()
    {
        BrowserHost.RequireChromium();
        var resident = host.Resident(22).GetProperty("id").GetString()!;
        var name = await ResidentName(resident);
        var page = await SignedIn();
        await page.ClickAsync("nav [data-view=record]");
        await page.FillAsync("#award-resident", resident);
        await Assertions.Expect(page.Locator("#award-resident-name")).ToHaveTextAsync(name);
        await page.SelectOptionAsync("#award-category", "VOL");
        await Assertions.Expect(page.Locator("#award-indicator option[value='VOL-01']")).ToContainTextAsync("/小时");
        Assert.DoesNotContain("/hour", await page.Locator("#award-indicator").InnerTextAsync(), StringComparison.Ordinal);
        await page.SelectOptionAsync("#award-indicator", "VOL-01");
        await page.FillAsync("#award-quantity", "1");
        await Assertions.Expect(page.Locator("#preview")).ToContainTextAsync("VOL-01");

        await page.PressAsync("#award-quantity", "Enter");
        await page.WaitForTimeoutAsync(500);
        Assert.Equal(string.Empty, await page.Locator("#saved").InnerTextAsync());

        await page.FocusAsync("#award-save");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#saved")).ToContainTextAsync("流水");
        await Assertions.Expect(page.Locator("#preview")).ToContainTextAsync("已保存");
        await page.WaitForTimeoutAsync(500);
        await Assertions.Expect(page.Locator("#preview")).Not.ToContainTextAsync("VOL-01");
    }

    private Task<IPage> SignedIn() => host.DeskSignedIn(Manager, Width, Height, acceptDownloads: true);

    private async Task<string> ResidentName(string id) => (await Staff("GET", $"/api/v1/residents/{id}", null)).GetProperty("displayName").GetString()!;

    private async Task<JsonElement> Staff(string method, string path, object? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(new Uri(host.BaseUrl), path));
        request.Headers.Add("X-Api-Key", host.Staff);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
            request.Headers.Add("Idempotency-Key", "counter-test-" + Interlocked.Increment(ref _keys) + "-" + Guid.NewGuid().ToString("N"));
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Incentives.Tests.Browser;

[CollectionDefinition("governance-browser")]
public sealed class GovernanceBrowserGroup : ICollectionFixture<BrowserHost>;

/// <summary>The public posting board (/board/) and the kiosk's 公示与复核 screen in headless Chromium against the real
/// service with its demo data (docs/pages.md).</summary>
[Collection("governance-browser")]
public sealed class GovernancePagesTests(BrowserHost host) : IDisposable
{
    private const int KioskWidth = 1080, KioskHeight = 1920;

    // The community's zone (demo communities are in China): the kiosk formats instants in the device's zone.
    private const string Zone = "Asia/Shanghai";

    private readonly HttpClient _admin = new();

    public void Dispose() => _admin.Dispose();

    [SkippableFact]
    public async Task PublicBoard_ShowsTheDemoPostingsWithMaskedNames_AndNoIdCardIdNumberOrFullName()
    {
        BrowserHost.RequireChromium();
        var page = await NewPage(1920, 1080);
        await page.GotoAsync("/board/?c=east");

        await Assertions.Expect(page.Locator("#community")).ToHaveTextAsync("东城社区");
        await Assertions.Expect(page.Locator("#items tr").First).ToBeVisibleAsync();
        var rows = await page.Locator("#items tr").AllAsync();
        Assert.True(rows.Count >= 3, $"the demo data posts 3 records in east, the board shows {rows.Count}");
        foreach (var row in rows)
        {
            Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}\*+$", await row.Locator(".name").InnerTextAsync());
        }

        var text = await page.Locator("body").InnerTextAsync();
        Assert.Contains("公示栏", text, StringComparison.Ordinal);
        Assert.Contains("在自助终端登录后可对本社区公示提出异议", text, StringComparison.Ordinal);
        Assert.Contains("+10", text, StringComparison.Ordinal);
        Assert.Contains("加分", text, StringComparison.Ordinal);
        Assert.Contains("\u22125", text, StringComparison.Ordinal); // −5, with a real minus sign
        Assert.Contains("扣分", text, StringComparison.Ordinal);
        Assert.Contains("公示中", text, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", await rows[0].Locator(".ends").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("board-public.png"), FullPage = true });

        // Nothing personal in the page's HTML or text: every demo resident's id, card, PIN-free secrets and full name.
        var html = await page.ContentAsync();
        Assert.DoesNotContain("east-0", html, StringComparison.Ordinal);
        Assert.DoesNotContain("west-0", html, StringComparison.Ordinal);
        foreach (var community in host.Keys.GetProperty("communities").EnumerateArray())
        {
            foreach (var resident in community.GetProperty("residents").EnumerateArray())
            {
                foreach (var field in new[] { "id", "cardNumber", "idNumber" })
                {
                    var value = resident.GetProperty(field).GetString()!;
                    Assert.DoesNotContain(value, html, StringComparison.Ordinal);
                    Assert.DoesNotContain(value, text, StringComparison.Ordinal);
                }
            }

            var names = await Admin<JsonElement>($"/api/v1/communities/{community.GetProperty("id").GetString()}/residents");
            Assert.True(names.GetArrayLength() > 0);
            foreach (var resident in names.EnumerateArray())
            {
                var name = resident.GetProperty("displayName").GetString()!;
                Assert.DoesNotContain(name, html, StringComparison.Ordinal);
                Assert.DoesNotContain(name, text, StringComparison.Ordinal);
            }
        }
    }

    [SkippableFact]
    public async Task Kiosk_ResidentObjectsToAPosting_TheRecordIsObjected_AndThePublicBoardSaysSo()
    {
        BrowserHost.RequireChromium();
        var board = await Admin<JsonElement>("/api/v1/communities/east/board");
        var posting = board.GetProperty("items").EnumerateArray().First(i => i.GetProperty("status").GetString() == "pending" && i.GetProperty("points").GetInt64() > 0);
        var recordId = posting.GetProperty("recordId").GetInt64();
        var indicatorName = posting.GetProperty("indicatorNameZh").GetString()!;

        var kiosk = await SignedInKiosk(15);
        await kiosk.ClickAsync("#go-governance");
        var item = kiosk.Locator($"#gov-board li[data-record='{recordId}']");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "pending");
        await item.Locator("button").ClickAsync();
        await Assertions.Expect(kiosk.Locator("#reason")).ToBeVisibleAsync();
        await kiosk.ClickAsync("#reason-presets [data-reason=untrue]");
        await kiosk.FillAsync("#reason-text", "那天没有举办这个活动");
        await kiosk.ClickAsync("#reason-submit");

        await Assertions.Expect(kiosk.Locator("#gov-message")).ToContainTextAsync("异议已提交");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "objected");
        await Assertions.Expect(item).ToContainTextAsync("有异议");
        await kiosk.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("kiosk-objection.png") });

        var record = await Admin<JsonElement>($"/api/v1/records/{recordId}");
        Assert.Equal("objected", record.GetProperty("status").GetString());
        var objection = record.GetProperty("steps").EnumerateArray().Last();
        Assert.Equal("objected", objection.GetProperty("kind").GetString());
        Assert.Equal(host.Resident(15).GetProperty("id").GetString(), objection.GetProperty("by").GetString());
        Assert.Equal("情况不属实: 那天没有举办这个活动", objection.GetProperty("reason").GetString());

        var publicBoard = await NewPage(1920, 1080);
        await publicBoard.GotoAsync("/board/?c=east");
        await Assertions.Expect(publicBoard.Locator("#items tr", new() { HasText = indicatorName }).Locator(".status")).ToContainTextAsync("有异议 — 异议处理中");
    }

    [SkippableFact]
    public async Task Kiosk_ResidentAppealsANegativeCreditRecord_AndSeesTheAppealWithItsDueDate()
    {
        BrowserHost.RequireChromium();
        var resident = host.Resident(19);
        var residentId = resident.GetProperty("id").GetString()!;
        var creditRecord = await Admin<JsonElement>($"/api/v1/residents/{residentId}/credit-records", new { delta = -10, reason = "占用消防通道 (浏览器测试)", document = "D-1" });
        var creditRecordId = creditRecord.GetProperty("id").GetInt64();

        var kiosk = await SignedInKiosk(19);
        await kiosk.ClickAsync("#go-governance");
        await Assertions.Expect(kiosk.Locator("#my-appeals")).ToContainTextAsync("没有复核申请");
        // The record is listed under 我的扣分 (the kiosk reads the resident's own credit records): no number to type.
        var row = kiosk.Locator($"#my-credit-records li[data-credit-record='{creditRecordId}']");
        await Assertions.Expect(row).ToContainTextAsync("\u221210 信用分 · 占用消防通道 (浏览器测试)");
        await Assertions.Expect(row).ToContainTextAsync($"信用记录 {creditRecordId}");
        await Assertions.Expect(kiosk.Locator("#credit-record-no")).ToHaveCountAsync(0);
        await row.GetByRole(AriaRole.Button, new() { Name = "申请复核" }).ClickAsync();
        await Assertions.Expect(kiosk.Locator("#reason-title")).ToHaveTextAsync("对信用记录申请复核");
        await Assertions.Expect(kiosk.Locator("#reason-subject")).ToContainTextAsync("占用消防通道 (浏览器测试)");
        await kiosk.ClickAsync("#reason-presets [data-reason=wrongDetails]");
        await kiosk.ClickAsync("#reason-submit");
        await Assertions.Expect(kiosk.Locator("#gov-message")).ToContainTextAsync("复核申请已提交");

        var appeals = await Admin<JsonElement>($"/api/v1/residents/{residentId}/appeals");
        var appeal = Assert.Single(appeals.EnumerateArray());
        Assert.Equal(creditRecordId, appeal.GetProperty("creditRecordId").GetInt64());
        Assert.Equal("open", appeal.GetProperty("status").GetString());
        var due = TimeZoneInfo.ConvertTime(appeal.GetProperty("dueAt").GetDateTimeOffset(), TimeZoneInfo.FindSystemTimeZoneById(Zone))
            .ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        await Assertions.Expect(kiosk.Locator("#gov-message")).ToContainTextAsync($"复核申请已提交, 答复期限 {due}");
        var listed = kiosk.Locator($"#my-appeals li[data-appeal='{appeal.GetProperty("id").GetInt64()}']");
        await Assertions.Expect(listed).ToContainTextAsync($"信用记录 {creditRecordId}");
        await Assertions.Expect(listed).ToContainTextAsync($"答复期限 {due}");
        await Assertions.Expect(listed).ToContainTextAsync("处理中");
        await Assertions.Expect(listed).ToContainTextAsync("记录人员或日期有误");

        // Once appealed, the listed record shows the appeal's state instead of 申请复核.
        await Assertions.Expect(row.Locator(".appeal-state")).ToHaveTextAsync("已申请复核: 处理中");
        await Assertions.Expect(row.Locator("button")).ToHaveCountAsync(0);
        await kiosk.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("kiosk-appeal.png") });
    }

    private async Task<IPage> NewPage(int width, int height)
    {
        var context = await host.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            BaseURL = host.BaseUrl,
            TimezoneId = Zone,
        });
        return await context.NewPageAsync();
    }

    private async Task<IPage> SignedInKiosk(int resident)
    {
        var page = await NewPage(KioskWidth, KioskHeight);
        await page.GotoAsync($"/kiosk/?key={host.Kiosk}&store=east-mall");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        var r = host.Resident(resident);
        await page.FillAsync("#card", r.GetProperty("cardNumber").GetString()!);
        await page.ClickAsync("#pin"); // the keypad types into the field that has the focus
        await page.ClickAsync("#keypad [data-key=clear]");
        foreach (var digit in r.GetProperty("pin").GetString()!)
        {
            await page.ClickAsync($"#keypad [data-key='{digit}']");
        }

        await page.ClickAsync("#signin-btn");
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        return page;
    }

    private async Task<T> Admin<T>(string path, object? body = null)
    {
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, new Uri(new Uri(host.BaseUrl), path));
        request.Headers.Add("X-Api-Key", host.Keys.GetProperty("admin").GetString());
        if (body is not null)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            request.Content = JsonContent.Create(body);
        }

        using var response = await _admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{request.Method} {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text)!;
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Incentives.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Incentives.Tests.Browser;

[CollectionDefinition("kiosk-elderly-browser")]
public sealed class KioskElderlyBrowserGroup : ICollectionFixture<BrowserHost>;

/// <summary>Issue 14: the kiosk fit for elderly residents (docs/pages.md, "Kiosk"). Refusals in Chinese for every code a
/// kiosk meets, the idle countdown, nothing of one resident left for the next, one reservation for a retried request,
/// and an axe-core scan of every screen visited. Codes that are hard to provoke are answered by Playwright routes with
/// canned problems (English detail only, no messageZh: the page's own dictionary must speak).</summary>
[Collection("kiosk-elderly-browser")]
public sealed partial class KioskElderlyTests(BrowserHost host, ITestOutputHelper output) : IDisposable
{
    private const int KioskWidth = 1080, KioskHeight = 1920;
    private const string Store = "east-mall";

    private readonly HttpClient _admin = new();

    public void Dispose() => _admin.Dispose();


    [SkippableFact]
    public async Task EveryRefusalAKioskMeets_IsShownInChinese_AndTheListIsRefreshedAfterAStockRace()
    {
        BrowserHost.RequireChromium();
        var page = await KioskPage();
        var resident = host.Resident(4); // east-005: no consent to credit scoring, so unrated
        var card = resident.GetProperty("cardNumber").GetString()!;
        var pin = resident.GetProperty("pin").GetString()!;

        // Network down at sign-in.
        await page.RouteAsync("**/api/v1/kiosk/sessions", route => route.AbortAsync("internetdisconnected"), new() { Times = 1 });
        await SignIn(page, card, pin);
        await ExpectChinese(page, "#signin-error", "网络连接失败");
        await Axe(page, "signin-error");

        // Unknown card and wrong PIN: the API answers the same for both.
        await SignIn(page, "E99999", "123456");
        await ExpectChinese(page, "#signin-error", "卡号或密码");
        await SignIn(page, card, pin == "000000" ? "111111" : "000000");
        await ExpectChinese(page, "#signin-error", "卡号或密码");

        // A locked card, answered without messageZh: the page's own words.
        await page.RouteAsync("**/api/v1/kiosk/sessions", route => Problem(route, 403, "card-locked", "this card is locked for 15 minutes"), new() { Times = 1 });
        await SignIn(page, card, pin);
        await ExpectChinese(page, "#signin-error", "卡已锁定");

        await SignIn(page, card, pin);
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#signin-error")).ToBeEmptyAsync();

        // The goods page says why each unavailable item cannot be added, in words.
        await page.ClickAsync("#go-goods");
        await Assertions.Expect(page.Locator("#goods")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#goods-balance")).ToContainTextAsync("预约占用");
        await Assertions.Expect(page.Locator(".item[data-sku=OIL] .why")).ToHaveTextAsync("需 AA 级 (您未评级)");
        await Assertions.Expect(page.Locator(".item[data-sku=OIL] .add")).ToHaveCountAsync(0);

        // limit-reached, for real: 洗衣皂 is limited to 2 a month. The item then says so and leaves the cart.
        for (var i = 0; i < 3; i++)
        {
            await page.ClickAsync(".item[data-sku=SOAP] .add");
        }

        await Reserve(page);
        await ExpectChinese(page, "#goods-error", "洗衣皂");
        await Assertions.Expect(page.Locator(".item[data-sku=SOAP] .why")).ToHaveTextAsync("本月已达上限");

        // out-of-stock, for real: the last noodles go (a write-off at the desk) after the list was shown.
        await page.ClickAsync(".item[data-sku=NOODLES] .add");
        await Admin($"/api/v1/stores/{Store}/items/NOODLES/stock", new { kind = "writeOff", quantity = 40, reason = "browser test: stock race" });
        await Reserve(page);
        await ExpectChinese(page, "#goods-error", "仅剩 0");
        await Assertions.Expect(page.Locator(".item[data-sku=NOODLES] .why")).ToHaveTextAsync("已兑完");
        await Axe(page, "goods-refused");

        // Codes that are hard to provoke here, answered by a canned problem with English only.
        var canned = new (int Status, string Code, object? Extra, string Expected)[]
        {
            (422, "insufficient-points", new { shortfall = 12 }, "还差 12 分"),
            (422, "tier-too-low", new { tierNeeded = "AA" }, "需 AA 级"),
            (409, "out-of-stock", new { left = 1 }, "仅剩 1"),
            (422, "item-inactive", null, "不提供"),
            (429, "rate-limited", null, "请稍"),
            (500, "server-error", null, "请稍后再试"),
            (422, "some-future-code", null, "请稍后再试"),
            (422, "limit-reached", null, "上限"),
            (403, "resident-inactive", null, "该账户已停用"),
        };
        foreach (var (status, code, extra, expected) in canned)
        {
            await page.RouteAsync($"**/api/v1/stores/{Store}/reservations", route => Problem(route, status, code, $"refused: {code}", extra), new() { Times = 1 });
            await EnsureCart(page);

            await Reserve(page);
            await ExpectChinese(page, "#goods-error", expected);
        }

        // Network down while reserving.
        await page.RouteAsync($"**/api/v1/stores/{Store}/reservations", route => route.AbortAsync("internetdisconnected"), new() { Times = 1 });
        await EnsureCart(page);
        await Reserve(page);
        await ExpectChinese(page, "#goods-error", "网络连接失败");

        // Session expired: the page says so and goes back to sign-in.
        await page.Locator("#goods .home-btn").ClickAsync();
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        await page.RouteAsync($"**/api/v1/stores/{Store}/offers/**", route => Problem(route, 401, "unauthorized", "the resident session is unknown or has expired; sign in again"), new() { Times = 1 });
        await page.ClickAsync("#go-goods");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await ExpectChinese(page, "#signin-error", "登录已超时");
        Assert.Equal(string.Empty, await page.Locator("#welcome").InnerTextAsync());
    }

    [SkippableFact]
    public async Task IdleCountdown_Appears15SecondsBeforeSignOut_AndKeepUsingResetsTheClock()
    {
        BrowserHost.RequireChromium();
        var page = await KioskPage(installClock: true);
        var resident = host.Resident(6);
        await SignIn(page, resident.GetProperty("cardNumber").GetString()!, resident.GetProperty("pin").GetString()!);
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#held")).ToHaveTextAsync(NumberPattern());
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("kiosk-home.png") });
        await Axe(page, "home");

        // The clock runs on naturally between steps: a touch now restarts the 60 s, so the steps below count from here.
        await page.ClickAsync("#welcome");
        await page.Clock.RunForAsync(44_000);
        await Assertions.Expect(page.Locator("#idle-warning")).ToBeHiddenAsync();
        await page.Clock.RunForAsync(2_000);
        await Assertions.Expect(page.Locator("#idle-warning")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#idle-text")).ToContainTextAsync("秒后将自动退出");
        await Assertions.Expect(page.Locator("#idle-text")).ToContainTextAsync("14");
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("kiosk-idle-countdown.png") });
        await Axe(page, "idle-countdown");

        await page.ClickAsync("#idle-continue");
        await Assertions.Expect(page.Locator("#idle-warning")).ToBeHiddenAsync();
        await page.Clock.RunForAsync(44_000);
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#idle-warning")).ToBeHiddenAsync();
        await page.Clock.RunForAsync(2_000);
        await Assertions.Expect(page.Locator("#idle-warning")).ToBeVisibleAsync();
        await page.Clock.RunForAsync(15_000);
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#idle-warning")).ToBeHiddenAsync();
        Assert.Equal(string.Empty, await page.Locator("#welcome").InnerTextAsync());
    }

    [SkippableFact]
    public async Task SignOut_ClearsThePreviousResident_NameCodeCartAndLanguage_AndMyReservationsNamesAndCancels()
    {
        BrowserHost.RequireChromium();
        var page = await KioskPage();
        var first = host.Resident(7);
        var second = host.Resident(8);
        await SignIn(page, first.GetProperty("cardNumber").GetString()!, first.GetProperty("pin").GetString()!);
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        var firstName = (await page.Locator("#welcome").InnerTextAsync()).Split(',')[0];

        await page.ClickAsync("#go-goods");
        await page.ClickAsync(".item[data-sku=RICE] .add");
        await page.ClickAsync(".item[data-sku=TOWEL] .add");
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("kiosk-goods.png") });
        await Reserve(page);
        await Assertions.Expect(page.Locator("#pickup-code")).ToHaveTextAsync(CodePattern());
        var code = await page.Locator("#pickup-code").InnerTextAsync();
        await Axe(page, "pickup");

        // 我的预约: names, 取货截止 and a cancel button; a second reservation stays to be forgotten at sign-out.
        await page.Locator("#pickup .home-btn").ClickAsync();
        await Assertions.Expect(page.Locator("#held")).Not.ToHaveTextAsync("0");
        await page.ClickAsync("#go-mine");
        var row = page.Locator($"#reservations li[data-code='{code}']");
        await Assertions.Expect(row).ToContainTextAsync("大米 5kg × 1");
        await Assertions.Expect(row).ToContainTextAsync("毛巾 × 1");
        await Assertions.Expect(row).ToContainTextAsync("取货截止");
        await Axe(page, "mine");
        await row.Locator("button.cancel").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "cancelled");
        await Assertions.Expect(page.Locator("#mine-message")).ToContainTextAsync("已取消预约");

        await page.Locator("#mine .home-btn").ClickAsync();
        await page.ClickAsync("#go-goods");
        await page.ClickAsync(".item[data-sku=EGGS] .add");
        await Reserve(page);
        await Assertions.Expect(page.Locator("#pickup-code")).ToHaveTextAsync(CodePattern());
        var secondCode = await page.Locator("#pickup-code").InnerTextAsync();
        await page.Locator("#pickup .home-btn").ClickAsync();
        await page.ClickAsync("#go-goods");
        await page.ClickAsync(".item[data-sku=TOWEL] .add"); // a cart left behind
        await page.ClickAsync("#lang");
        Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
        await page.Locator("#goods .home-btn").ClickAsync();
        await page.ClickAsync("#signout");

        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        Assert.Equal("zh-CN", await page.EvaluateAsync<string>("document.documentElement.lang"));
        await Assertions.Expect(page.Locator("#lang")).ToHaveTextAsync("English");
        var html = await Screens(page);
        Assert.DoesNotContain(firstName, html, StringComparison.Ordinal);
        Assert.DoesNotContain(secondCode, html, StringComparison.Ordinal);
        Assert.DoesNotContain(code, html, StringComparison.Ordinal);

        await SignIn(page, second.GetProperty("cardNumber").GetString()!, second.GetProperty("pin").GetString()!);
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        Assert.DoesNotContain(firstName, await page.Locator("#welcome").InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync("#go-goods");
        await Assertions.Expect(page.Locator("#cart-lines")).ToHaveTextAsync("还没有选商品");
        Assert.DoesNotContain(secondCode, await Screens(page), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RetriedReservation_AfterADroppedResponse_ReservesOnce()
    {
        BrowserHost.RequireChromium();
        var page = await KioskPage();
        var resident = host.Resident(9);
        var id = resident.GetProperty("id").GetString()!;
        var before = (await Admin($"/api/v1/residents/{id}/reservations")).GetProperty("reservations").GetArrayLength();
        await SignIn(page, resident.GetProperty("cardNumber").GetString()!, resident.GetProperty("pin").GetString()!);
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        await page.ClickAsync("#go-goods");
        await page.ClickAsync(".item[data-sku=TOWEL] .add");

        // The first POST reaches the server; its answer is lost on the way back.
        var reached = 0;
        await page.RouteAsync($"**/api/v1/stores/{Store}/reservations", async route =>
        {
            var response = await route.FetchAsync();
            Interlocked.Increment(ref reached);
            Assert.Equal(201, response.Status);
            await route.AbortAsync("connectionreset");
        }, new() { Times = 1 });
        await Reserve(page);
        await ExpectChinese(page, "#goods-error", "网络连接失败");
        Assert.Equal(1, reached);

        await Reserve(page); // the resident presses 预约兑换 again
        await Assertions.Expect(page.Locator("#pickup-code")).ToHaveTextAsync(CodePattern());
        var code = await page.Locator("#pickup-code").InnerTextAsync();

        var after = (await Admin($"/api/v1/residents/{id}/reservations")).GetProperty("reservations");
        Assert.Equal(before + 1, after.GetArrayLength());
        Assert.Single(after.EnumerateArray(), r => r.GetProperty("pickupCode").GetString() == code);
        output.WriteLine($"COUNT: kiosk reservation retried after a dropped answer (same Idempotency-Key): reservations made {after.GetArrayLength() - before}");
    }

    private async Task<IPage> KioskPage(bool installClock = false)
    {
        var context = await host.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = KioskWidth, Height = KioskHeight },
            BaseURL = host.BaseUrl,
            TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        if (installClock)
        {
            await page.Clock.InstallAsync();
        }

        await page.GotoAsync($"/kiosk/?key={host.Kiosk}&store={Store}");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        return page;
    }

    // As a resident does it: the card number and the PIN both on the on-screen keypad (the field tapped decides).
    private static async Task SignIn(IPage page, string card, string pin)
    {
        await page.ClickAsync("#card");
        await page.ClickAsync("#keypad [data-key=clear]");
        foreach (var c in card)
        {
            if (char.IsLetter(c) && !await page.Locator("#letters").IsVisibleAsync())
            {
                await page.ClickAsync("#letters-toggle");
            }

            await page.ClickAsync(char.IsLetter(c) ? $"#letters [data-key='{c}']" : $"#keypad [data-key='{c}']");
        }

        Assert.Equal(card, await page.InputValueAsync("#card"));
        await page.ClickAsync("#keypad [data-key=next]");
        await Assertions.Expect(page.Locator("#pin")).ToBeFocusedAsync();
        await page.ClickAsync("#keypad [data-key=clear]");
        foreach (var digit in pin)
        {
            await page.ClickAsync($"#keypad [data-key='{digit}']");
        }

        Assert.Equal(pin.Length, (await page.InputValueAsync("#pin")).Length);
        await page.ClickAsync("#signin-btn");
        // Answered: home, or a message (the button clears the last one first).
        await Assertions.Expect(page.Locator("#home:visible, #signin-error:not(:empty)")).Not.ToHaveCountAsync(0);
    }

    private static async Task EnsureCart(IPage page)
    {
        if (await page.Locator("#cart-lines button").CountAsync() == 0)
        {
            await page.Locator(".item .add").First.ClickAsync();
        }
    }

    // Presses 预约兑换 and waits until the page has finished with the answer (the message or the pickup code).
    private static async Task Reserve(IPage page)
    {
        await page.ClickAsync("#reserve");
        await Assertions.Expect(page.Locator("#goods-error")).Not.ToHaveTextAsync("正在预约…");
    }

    // Every screen's markup, hidden ones included, with the fields' values (not the injected axe script).
    private static Task<string> Screens(IPage page) =>
        page.EvaluateAsync<string>("() => document.querySelector('header').innerHTML + document.querySelector('main').innerHTML + [...document.querySelectorAll('input, textarea')].map(e => e.value).join(' ')");

    private static Task Problem(IRoute route, int status, string code, string detail, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["type"] = $"https://incentives.dev/problems/{code}", ["title"] = code, ["status"] = status, ["detail"] = detail, ["code"] = code };
        if (extra is not null)
        {
            foreach (var p in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[p.Name] = p.Value;
            }
        }

        return route.FulfillAsync(new() { Status = status, ContentType = "application/problem+json", Body = JsonSerializer.Serialize(body) });
    }

    // The message is Chinese, contains the expected words, and no English sentence shows anywhere on the screen.
    private static async Task ExpectChinese(IPage page, string selector, string expected)
    {
        await Assertions.Expect(page.Locator(selector)).ToContainTextAsync(expected);
        var text = await page.Locator(selector).InnerTextAsync();
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", text);
        Assert.DoesNotMatch(@"^[\x00-\x7F]+$", text);
        var visible = await page.Locator("body").InnerTextAsync();
        var sentence = EnglishSentence().Match(visible);
        Assert.False(sentence.Success, $"English on a Chinese screen: '{sentence.Value}'");
    }

    private async Task Axe(IPage page, string screen)
    {
        var (critical, serious, moderate, details) = await AxeScan.RunAsync(page);
        output.WriteLine($"COUNT: axe kiosk {screen} critical={critical} serious={serious} moderate={moderate}");
        if (details.Length > 0)
        {
            output.WriteLine($"axe kiosk {screen}: {details}");
        }

        Assert.True(critical == 0 && serious == 0, $"axe on {screen}: {details}");
    }

    private async Task<JsonElement> Admin(string path, object? body = null)
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
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [GeneratedRegex("^[ACDEFGHJKMNPQRTUVWXY34679]{6}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex NumberPattern();

    // Three or more English words in a row: a sentence, not a unit (kg) or a tier (AA).
    [GeneratedRegex(@"[A-Za-z]{2,}(?:[ ,.'’:;-]+[A-Za-z]{2,}){2,}")]
    private static partial Regex EnglishSentence();
}

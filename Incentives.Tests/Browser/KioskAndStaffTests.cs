using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Incentives.Tests.Browser;

[CollectionDefinition("browser")]
public sealed class BrowserGroup : ICollectionFixture<BrowserHost>;

/// <summary>The kiosk and the staff desk in headless Chromium against the real service.</summary>
[Collection("browser")]
public sealed partial class KioskAndStaffTests(BrowserHost host)
{
    private const int KioskWidth = 1080, KioskHeight = 1920, StaffWidth = 1366, StaffHeight = 768;

    [SkippableFact]
    public async Task Kiosk_ReserveTwoItems_StaffDeskFulfils_KioskShowsTheLowerBalance()
    {
        BrowserHost.RequireChromium();
        var kiosk = await SignedInKiosk(0);
        var before = long.Parse(await kiosk.Locator("#available").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        await kiosk.ClickAsync("#go-goods");
        await kiosk.ClickAsync(".item[data-sku=RICE] .add");
        await kiosk.ClickAsync(".item[data-sku=TOWEL] .add");
        var total = long.Parse(await kiosk.Locator("#cart-total").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await kiosk.ClickAsync("#reserve");
        await Assertions.Expect(kiosk.Locator("#pickup-code")).ToHaveTextAsync(CodePattern());
        await Assertions.Expect(kiosk.Locator("#qr svg")).ToBeVisibleAsync();
        var code = await kiosk.Locator("#pickup-code").InnerTextAsync();
        await kiosk.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("kiosk-pickup-code.png") });

        var staff = await StaffDesk();
        await staff.ClickAsync("nav [data-view=pickup]");
        await staff.FillAsync("#pickup-code", code);
        await staff.ClickAsync("#fulfil");
        await Assertions.Expect(staff.Locator("#pickup-result")).ToContainTextAsync("已核销");

        await kiosk.Locator("#pickup .home-btn").ClickAsync();
        await Assertions.Expect(kiosk.Locator("#available")).ToHaveTextAsync((before - total).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(total > 0);
    }

    [SkippableFact]
    public async Task StaffDesk_RecordsVolunteerHours_ShowsTheExplanationBeforeAndAfterSaving()
    {
        BrowserHost.RequireChromium();
        var staff = await StaffDesk();
        await staff.ClickAsync("nav [data-view=record]");

        await staff.FillAsync("#award-resident", host.Resident(1).GetProperty("id").GetString()!);
        await staff.SelectOptionAsync("#award-category", "VOL");
        await staff.SelectOptionAsync("#award-indicator", "VOL-01");
        await staff.FillAsync("#award-quantity", "2.5");
        await staff.FillAsync("#award-evidence", "社区志愿服务签到表");

        await Assertions.Expect(staff.Locator("#preview")).ToContainTextAsync("VOL-01 常规志愿服务: 2 × 2.5 h = 5");
        Assert.Equal(string.Empty, await staff.Locator("#saved").InnerTextAsync());
        await staff.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-award-form.png") });
        await staff.ClickAsync("#award-save");
        await Assertions.Expect(staff.Locator("#saved")).ToContainTextAsync("2 × 2.5 h = 5");
        await Assertions.Expect(staff.Locator("#saved")).ToContainTextAsync("流水");
    }

    [SkippableFact]
    public async Task Kiosk_FiveWrongPins_LockTheCardWithAClearMessage()
    {
        BrowserHost.RequireChromium();
        var resident = host.Resident(2);
        var pin = resident.GetProperty("pin").GetString()!;
        var wrong = pin == "000000" ? "111111" : "000000";
        var kiosk = await KioskPage();

        for (var i = 0; i < 5; i++)
        {
            await SignIn(kiosk, resident.GetProperty("cardNumber").GetString()!, wrong);
        }

        await Assertions.Expect(kiosk.Locator("#signin-error")).ToContainTextAsync("卡已锁定");
        await SignIn(kiosk, resident.GetProperty("cardNumber").GetString()!, pin);
        await Assertions.Expect(kiosk.Locator("#signin-error")).ToContainTextAsync("15 分钟");
        Assert.True(await kiosk.Locator("#signin").IsVisibleAsync());
    }

    [SkippableFact]
    public async Task LanguageSwitch_ChangesEveryVisibleLabel_OnTheKioskAndTheStaffDesk()
    {
        BrowserHost.RequireChromium();
        var kiosk = await SignedInKiosk(3);
        var staff = await StaffDesk();

        foreach (var page in new[] { kiosk, staff })
        {
            var zh = await VisibleLabels(page);
            await page.ClickAsync("#lang");
            var en = await VisibleLabels(page);

            Assert.NotEmpty(zh);
            Assert.Equal(zh.Keys, en.Keys);
            Assert.All(zh.Keys, key => Assert.NotEqual(zh[key], en[key]));
            // The switch itself names the other language ("中文"), as language switches do.
            Assert.All(en.Where(l => !l.Key.StartsWith("switchLang", StringComparison.Ordinal)), label => Assert.False(Regex.IsMatch(label.Value, @"\p{IsCJKUnifiedIdeographs}"), $"{label.Key} is still '{label.Value}'"));
            Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
        }
    }

    [SkippableFact]
    public async Task StaffDesk_WithoutAKey_SignsInWithADemoAccount_ShowsWhoInTheHeader_AndSignsOut()
    {
        BrowserHost.RequireChromium();
        var manager = host.Keys.GetProperty("communities")[0].GetProperty("staff")[2];
        var page = await host.Page(StaffWidth, StaffHeight);
        await page.GotoAsync("/staff/");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#signin-id")).ToBeFocusedAsync();

        await page.FillAsync("#signin-id", manager.GetProperty("id").GetString()!);
        await page.FillAsync("#signin-password", "not-the-password");
        await page.PressAsync("#signin-password", "Enter");
        await Assertions.Expect(page.Locator("#signin-message")).ToContainTextAsync("工号或密码错误");
        await page.FillAsync("#signin-password", manager.GetProperty("password").GetString()!);
        await page.PressAsync("#signin-password", "Enter");

        await Assertions.Expect(page.Locator("#residents")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync($"{manager.GetProperty("name").GetString()} (管理员)");
        Assert.Equal(string.Empty, await page.EvaluateAsync<string>("document.cookie")); // HttpOnly: no script reads the session
        await page.ClickAsync("#signout");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
    }

    [SkippableFact]
    public async Task Kiosk_IdleForSixtySeconds_SignsTheResidentOut()
    {
        BrowserHost.RequireChromium();
        var kiosk = await KioskPage(installClock: true);
        var resident = host.Resident(4);
        await SignIn(kiosk, resident.GetProperty("cardNumber").GetString()!, resident.GetProperty("pin").GetString()!);
        await Assertions.Expect(kiosk.Locator("#home")).ToBeVisibleAsync();

        await kiosk.Clock.RunForAsync(59_000);
        Assert.True(await kiosk.Locator("#home").IsVisibleAsync());
        await kiosk.Clock.RunForAsync(2_000);

        await Assertions.Expect(kiosk.Locator("#signin")).ToBeVisibleAsync();
    }

    private async Task<IPage> KioskPage(bool installClock = false)
    {
        var page = await host.Page(KioskWidth, KioskHeight);
        if (installClock)
        {
            await page.Clock.InstallAsync();
        }

        await page.GotoAsync($"/kiosk/?key={host.Kiosk}&store=east-mall");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        return page;
    }

    private async Task<IPage> SignedInKiosk(int resident)
    {
        var page = await KioskPage();
        var r = host.Resident(resident);
        await SignIn(page, r.GetProperty("cardNumber").GetString()!, r.GetProperty("pin").GetString()!);
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        return page;
    }

    private static async Task SignIn(IPage page, string card, string pin)
    {
        await page.FillAsync("#card", card);
        await page.ClickAsync("#pin"); // the keypad types into the field that has the focus
        await page.ClickAsync("#keypad [data-key=clear]");
        foreach (var digit in pin)
        {
            await page.ClickAsync($"#keypad [data-key='{digit}']");
        }

        var answered = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/kiosk/sessions", StringComparison.Ordinal));
        await page.ClickAsync("#signin-btn");
        await answered;
    }

    private async Task<IPage> StaffDesk()
    {
        var page = await host.Page(StaffWidth, StaffHeight);
        await page.GotoAsync($"/staff/?key={host.Staff}&community=east&store=east-mall");
        await Assertions.Expect(page.Locator("#residents")).ToBeVisibleAsync();
        return page;
    }

    private static async Task<Dictionary<string, string>> VisibleLabels(IPage page)
    {
        var labels = await page.EvaluateAsync<string[][]>(
            "() => [...document.querySelectorAll('[data-i18n]')].filter(e => e.offsetParent !== null && e.textContent.trim()).map((e, i) => [e.dataset.i18n + '#' + i, e.textContent.trim()])");
        return labels.ToDictionary(l => l[0], l => l[1]);
    }

    [GeneratedRegex("^[ACDEFGHJKMNPQRTUVWXY34679]{6}$")]
    private static partial Regex CodePattern();
}

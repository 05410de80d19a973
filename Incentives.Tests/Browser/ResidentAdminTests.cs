using Microsoft.Playwright;
using ApiTests = Incentives.Tests.Api.ResidentAdminTests;

namespace Incentives.Tests.Browser;

[CollectionDefinition("resident-admin-browser")]
public sealed class ResidentAdminBrowserGroup : ICollectionFixture<BrowserHost>;

/// <summary>The desk's 居民管理 section (issue 14) in headless Chromium against the real service with its demo data,
/// signed in as the demo manager of <c>east</c>: a resident registered with a card signs in at the kiosk with the PIN
/// the desk showed once; a 200-row file with 3 planted errors is checked (each row and column shown), fixed, imported,
/// and uploaded again without any change.</summary>
[Collection("resident-admin-browser")]
public sealed class ResidentAdminTests(BrowserHost host) : IDisposable
{
    private const int Width = 1366, Height = 900;
    private const int Manager = 2;

    private readonly HttpClient _admin = new();
    private readonly List<string> _files = [];

    public void Dispose()
    {
        _admin.Dispose();
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task Desk_RegistersAResidentWithACard_AndTheResidentSignsInAtTheKioskWithThePinShownOnce()
    {
        BrowserHost.RequireChromium();
        var desk = await SignedIn();
        await desk.ClickAsync("nav [data-view=residents-admin]");
        await Assertions.Expect(desk.Locator("#ra-title")).ToBeFocusedAsync();
        await desk.FillAsync("#ra-name", "浏览器居民");
        await desk.FillAsync("#ra-building", "3号楼");
        await desk.FillAsync("#ra-grid", "第一网格");
        await desk.FillAsync("#ra-phone", "13812345678");
        await desk.FillAsync("#ra-birth", "1961");
        await desk.FillAsync("#ra-card", "B30001");
        await desk.FillAsync("#ra-idnumber", ApiTests.IdNumber("440105", 1));
        await desk.PressAsync("#ra-idnumber", "Enter"); // the keyboard submits the form
        await Assertions.Expect(desk.Locator("#ra-register-result")).ToContainTextAsync("已登记 浏览器居民");
        await Assertions.Expect(desk.Locator("#ra-pin")).ToBeVisibleAsync();
        var pin = (await desk.Locator("#ra-pin-value").TextContentAsync())!.Trim();
        Assert.Matches("^[0-9]{6}$", pin);
        await Assertions.Expect(desk.Locator("#ra-pin-card")).ToContainTextAsync("B30001");
        await Assertions.Expect(desk.Locator("#ra-state")).ToContainTextAsync("B30001");
        // The form is emptied, so pressing 登记 again is not a second resident; a card already held is refused before
        // anyone is registered.
        await Assertions.Expect(desk.Locator("#ra-name")).ToHaveValueAsync("");
        await Assertions.Expect(desk.Locator("#ra-card")).ToHaveValueAsync("");
        var residents = await ExportedRows();
        await desk.FillAsync("#ra-name", "第二位居民");
        await desk.FillAsync("#ra-card", "b30001");
        await desk.ClickAsync("#ra-register button[type=submit]");
        await Assertions.Expect(desk.Locator("#ra-register-result")).ToContainTextAsync("卡号 B30001 已属于 浏览器居民");
        Assert.Equal(residents, await ExportedRows());
        await desk.FillAsync("#ra-name", "");
        await desk.FillAsync("#ra-card", "");
        // The resident's own profile at the desk: the phone in full; a bad one is refused in Chinese, a landline is kept.
        await Assertions.Expect(desk.Locator("#ra-p-phone")).ToHaveValueAsync("13812345678");
        await Assertions.Expect(desk.Locator("#ra-p-grid")).ToHaveValueAsync("第一网格");
        await desk.FillAsync("#ra-p-phone", "1381234567");
        await desk.ClickAsync("#ra-save-profile");
        await Assertions.Expect(desk.Locator("#ra-manage-result")).ToContainTextAsync("电话 (phone) 格式有误");
        await desk.FillAsync("#ra-p-phone", "0631-5201234");
        await desk.ClickAsync("#ra-save-profile");
        await Assertions.Expect(desk.Locator("#ra-manage-result")).ToContainTextAsync("联系信息已保存");
        await Assertions.Expect(desk.Locator("#ra-p-phone")).ToHaveValueAsync("0631-5201234");
        await desk.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-residents-admin.png"), FullPage = true });

        var kiosk = await host.Page(1280, 800);
        await kiosk.GotoAsync($"/kiosk/?key={host.Kiosk}&store=east-mall");
        await kiosk.FillAsync("#card", "B30001");
        await kiosk.ClickAsync("#pin"); // the keypad types into the field that has the focus
        await kiosk.ClickAsync("#keypad [data-key=clear]");
        foreach (var digit in pin)
        {
            await kiosk.ClickAsync($"#keypad [data-key='{digit}']");
        }

        await kiosk.ClickAsync("#signin-btn");
        await Assertions.Expect(kiosk.Locator("#home")).ToBeVisibleAsync();
        await Assertions.Expect(kiosk.Locator("body")).ToContainTextAsync("浏览器居民");

        // Deactivated at the desk while signed in: the kiosk's next step says so in plain Chinese.
        await desk.ClickAsync("#ra-deactivate");
        await Assertions.Expect(desk.Locator("#ra-state")).ToContainTextAsync("已停用");
        await kiosk.ClickAsync("#go-goods");
        await Assertions.Expect(kiosk.Locator("#home-error")).ToContainTextAsync("该账户已停用, 请到社区服务台咨询");
    }

    [SkippableFact]
    public async Task Desk_ImportDryRunShowsEachPlantedErrorByRowAndColumn_TheFixedFileImports_AndTheSameFileAgainChangesNothing()
    {
        BrowserHost.RequireChromium();
        var broken = Save(ApiTests.Csv(ApiTests.Sheet("W", "450105", plant: true)), "居民-有误.csv");
        var fixedFile = Save(ApiTests.Csv(ApiTests.Sheet("W", "450105", plant: false)), "居民.csv");
        var desk = await SignedIn();
        await desk.ClickAsync("nav [data-view=residents-admin]");
        var before = await ExportedRows();

        await desk.SetInputFilesAsync("#ra-file", broken);
        await desk.ClickAsync("#ra-dryrun");
        var rows = desk.Locator("#ra-problems-body tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        var shown = await rows.EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.row, r.dataset.column])");
        Assert.Equal([["12", "身份证号"], ["52", "姓名"], ["152", "期初积分"]], shown);
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("姓名为必填项");
        await Assertions.Expect(desk.Locator("#ra-import")).ToBeDisabledAsync();
        await Assertions.Expect(desk.Locator("#ra-import-result")).ToContainTextAsync("3 处问题");
        await desk.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-import-dryrun.png"), FullPage = true });
        Assert.Equal(before, await ExportedRows());

        await desk.SetInputFilesAsync("#ra-file", fixedFile);
        await Assertions.Expect(desk.Locator("#ra-import")).ToBeDisabledAsync();
        await desk.ClickAsync("#ra-dryrun");
        await Assertions.Expect(desk.Locator("#ra-import-result")).ToContainTextAsync("预检通过: 200 行");
        await Assertions.Expect(desk.Locator("#ra-import")).ToBeEnabledAsync();
        await desk.ClickAsync("#ra-import");
        // 200 residents, balances and PBKDF2-hashed PINs: allow a loaded machine its time (the page says 正在导入 meanwhile).
        await Assertions.Expect(desk.Locator("#ra-import-result")).ToContainTextAsync("已导入 200 位居民", new() { Timeout = 90_000 });
        await Assertions.Expect(desk.Locator("#ra-cards-body tr")).ToHaveCountAsync(200);
        await Assertions.Expect(desk.Locator("#ra-cards-body tr").First).ToContainTextAsync("W70000");
        Assert.Equal(before + 200, await ExportedRows());

        // The same file again: the desk says it was imported before, and nothing changes.
        await desk.SetInputFilesAsync("#ra-file", fixedFile);
        await desk.ClickAsync("#ra-dryrun");
        await Assertions.Expect(desk.Locator("#ra-import-result")).ToContainTextAsync("此文件已于之前导入");
        await desk.ClickAsync("#ra-import");
        await Assertions.Expect(desk.Locator("#ra-import-result")).ToContainTextAsync("本次未作任何更改 (200 位居民)");
        Assert.Equal(before + 200, await ExportedRows());
    }

    private string Save(byte[] content, string name)
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        _files.Add(path);
        return path;
    }

    // Residents of east as the export lists them (one line each after the header).
    private async Task<int> ExportedRows()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(host.BaseUrl), "/api/v1/communities/east/residents/export?format=csv"));
        request.Headers.Add("X-Api-Key", host.Keys.GetProperty("admin").GetString());
        using var response = await _admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
    }

    private Task<IPage> SignedIn() => host.DeskSignedIn(Manager, Width, Height);
}

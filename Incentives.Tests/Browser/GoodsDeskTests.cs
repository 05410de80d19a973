using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Incentives.Tests.Browser;

[CollectionDefinition("goods-desk-browser")]
public sealed class GoodsDeskBrowserGroup : ICollectionFixture<BrowserHost>;

/// <summary>Issue 14, the desk's 商品与库存 screen (goods.js) in headless Chromium against the real service with its demo
/// data: a new item with a photo (scaled in the browser, uploaded, then named by the item) shows in the table and on
/// the kiosk; an edit changes the price; a receipt with a reason tops the journal with the staff member's name; a low
/// item says 库存不足 in words; a refused save names and focuses the field; and axe finds nothing critical or serious.</summary>
[Collection("goods-desk-browser")]
public sealed class GoodsDeskTests(BrowserHost host, ITestOutputHelper output) : IDisposable
{
    private const int Width = 1366, Height = 768, Recorder = 0, Manager = 2;
    private const string Zone = "Asia/Shanghai", Store = "east-mall";

    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [SkippableFact]
    public async Task NewItemWithAPicture_IsScaledAndUploaded_ShowsInTheTableAsLowStock_AndOnTheKioskWithItsName()
    {
        BrowserHost.RequireChromium();
        var page = await SignedIn(Recorder);
        await OpenGoods(page);

        await page.ClickAsync("#goods-new");
        await Assertions.Expect(page.Locator("#item-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#item-form-title")).ToHaveTextAsync("新增商品");
        await Assertions.Expect(page.Locator("#item-sku")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("TEA-GREEN");
        await page.FillAsync("#item-name-zh", "绿茶礼盒");
        await page.FillAsync("#item-name-en", "Green tea box");
        await page.FillAsync("#item-price", "18");
        await page.FillAsync("#item-stock", "3"); // at or below the default mark of 5: low from the start
        await page.ClickAsync("#tier-price-add");
        await page.SelectOptionAsync("#tier-price-rows li:first-child select", "AAA");
        await page.FillAsync("#tier-price-rows li:first-child input", "80");
        await page.SelectOptionAsync("#item-limit-period", "month");
        await page.FillAsync("#item-limit-quantity", "2");

        // A camera-sized picture (2400 × 1800, several MB as PNG): the page scales it before the upload.
        var photo = Png(2400, 1800);
        Assert.True(photo.Length > 512 * 1024, $"the test photo should be over the API's limit as it is, but is {photo.Length} bytes");
        await page.SetInputFilesAsync("#item-picture-file", new FilePayload { Name = "tea.png", MimeType = "image/png", Buffer = photo });
        await Assertions.Expect(page.Locator("#item-picture-box")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#item-picture-info")).ToContainTextAsync("1024 × 768");
        await Assertions.Expect(page.Locator("#item-picture-preview")).ToHaveAttributeAsync("alt", "绿茶礼盒 的图片预览");

        await page.ClickAsync("#item-save");
        await Assertions.Expect(page.Locator("#item-result")).ToContainTextAsync("已新增 绿茶礼盒 (TEA-GREEN)");
        await Assertions.Expect(page.Locator("#item-error")).ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#item-sku")).Not.ToBeEditableAsync(); // now an edit of that item

        var row = page.Locator("#goods-rows tr[data-sku='TEA-GREEN']");
        await Assertions.Expect(row).ToContainTextAsync("绿茶礼盒");
        await Assertions.Expect(row.Locator("td:nth-child(5)")).ToHaveTextAsync("3");
        await Assertions.Expect(row).ToHaveClassAsync("low");
        await Assertions.Expect(row.Locator(".badge.low")).ToHaveTextAsync("库存不足");
        await Assertions.Expect(row.Locator("img.thumb")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("staff-goods.png"), FullPage = true });

        // The API holds what the form said, and the picture is the scaled JPEG.
        var item = (await StaffGet($"/api/v1/stores/{Store}/items")).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("sku").GetString() == "TEA-GREEN");
        Assert.Equal(18, item.GetProperty("price").GetInt64());
        Assert.Equal(3, item.GetProperty("stock").GetInt64());
        Assert.True(item.GetProperty("lowStock").GetBoolean());
        Assert.Equal("month", item.GetProperty("perResidentLimit").GetProperty("period").GetString());
        Assert.Equal(80, item.GetProperty("tierPrices")[0].GetProperty("percent").GetInt32());
        var pictureUrl = item.GetProperty("pictureUrl").GetString();
        Assert.False(string.IsNullOrEmpty(pictureUrl));
        using (var picture = await _http.GetAsync(new Uri(new Uri(host.BaseUrl), pictureUrl)))
        {
            Assert.Equal("image/jpeg", picture.Content.Headers.ContentType?.MediaType);
            var jpeg = await picture.Content.ReadAsByteArrayAsync();
            Assert.InRange(jpeg.Length, 1, 512 * 1024);
            Assert.Equal((1024, 768), JpegSize(jpeg));
            output.WriteLine($"COUNT: goods picture {photo.Length} bytes PNG 2400x1800 -> {jpeg.Length} bytes JPEG 1024x768");
        }

        // On the kiosk: the resident sees the picture, loaded, named by the item's name.
        var kiosk = await KioskSignedIn(host.Resident(0));
        await kiosk.ClickAsync("#go-goods");
        var img = kiosk.Locator(".item[data-sku='TEA-GREEN'] img.picture");
        await img.ScrollIntoViewIfNeededAsync(); // the kiosk loads pictures lazily, as a resident scrolls
        await Assertions.Expect(img).ToBeVisibleAsync();
        await Assertions.Expect(img).ToHaveAttributeAsync("alt", "绿茶礼盒");
        await kiosk.WaitForFunctionAsync("el => el.complete && el.naturalWidth > 0", await img.ElementHandleAsync());
        Assert.Equal(1024, await img.EvaluateAsync<int>("el => el.naturalWidth"));
    }

    [SkippableFact]
    public async Task EditChangesThePrice_EnterDoesNotSave_ARefusalNamesTheField_AndAReceiptTopsTheJournalWithWhoAndWhy()
    {
        BrowserHost.RequireChromium();
        await StaffPost($"/api/v1/stores/{Store}/items", new { sku = "SALT", nameZh = "食盐", nameEn = "Salt", price = 4, stock = 2, kind = "goods", lowStockAt = 5 });
        var posts = 0;
        var page = await SignedIn(Manager);
        page.Request += (_, r) =>
        {
            if (r.Method == "POST" && r.Url.EndsWith($"/stores/{Store}/items", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref posts);
            }
        };
        await OpenGoods(page);

        // Low stock in words, and the filter keeps only the low rows.
        var row = page.Locator("#goods-rows tr[data-sku='SALT']");
        await Assertions.Expect(row.Locator(".badge.low")).ToHaveTextAsync("库存不足");
        await page.CheckAsync("#goods-low-only");
        await Assertions.Expect(page.Locator("#goods-rows tr[data-sku='RICE']")).ToHaveCountAsync(0);
        await Assertions.Expect(row).ToBeVisibleAsync();
        Assert.All(await page.Locator("#goods-rows tr[data-sku] td:nth-child(8)").AllInnerTextsAsync(), state => Assert.Contains("库存不足", state, StringComparison.Ordinal));
        await page.UncheckAsync("#goods-low-only");
        await Assertions.Expect(page.Locator("#goods-rows tr[data-sku='RICE']")).ToHaveCountAsync(1);

        // Edit: reached by the keyboard; the sku cannot change; Enter in a field does not save, the button does.
        await row.Locator("button.edit").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#item-form-title")).ToHaveTextAsync("编辑商品: 食盐 (SALT)");
        await Assertions.Expect(page.Locator("#item-sku")).ToHaveValueAsync("SALT");
        await Assertions.Expect(page.Locator("#item-sku")).Not.ToBeEditableAsync();
        await Assertions.Expect(page.Locator("#item-stock-field")).ToBeHiddenAsync();
        await page.FillAsync("#item-price", "6");
        await page.PressAsync("#item-price", "Enter");
        // A submit would have begun at once, inside the key press: the button disabled and 正在保存… shown.
        Assert.False(await page.Locator("#item-save").IsDisabledAsync(), "Enter in the price field started a save");
        Assert.Equal(string.Empty, await page.Locator("#item-result").InnerTextAsync());
        await page.FocusAsync("#item-save");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#item-result")).ToContainTextAsync("已保存 食盐 (SALT)");
        await Assertions.Expect(row.Locator("td:nth-child(4)")).ToHaveTextAsync("6");
        Assert.Equal(1, Volatile.Read(ref posts)); // the Enter in the price field sent nothing
        Assert.Equal(6, Item(await StaffGet($"/api/v1/stores/{Store}/items"), "SALT").GetProperty("price").GetInt64());

        // A refusal names the field and puts the focus there: a loan needs its loan days.
        await page.SelectOptionAsync("#item-kind", "loan");
        await Assertions.Expect(page.Locator("#item-loan-days")).ToBeVisibleAsync();
        await page.ClickAsync("#item-save");
        await Assertions.Expect(page.Locator("#item-error")).ToContainTextAsync("借用天数");
        await Assertions.Expect(page.Locator("#item-loan-days")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#item-loan-days")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal("goods", Item(await StaffGet($"/api/v1/stores/{Store}/items"), "SALT").GetProperty("kind").GetString());
        await page.ClickAsync("#item-cancel");
        await Assertions.Expect(page.Locator("#item-form")).ToBeHiddenAsync();
        await Assertions.Expect(row.Locator("button.edit")).ToBeFocusedAsync();

        // A receipt: the reason is required; then it tops the journal with the member's name, and the row is no longer low.
        await row.Locator("button.stock").ClickAsync();
        await Assertions.Expect(page.Locator("#stock-title")).ToHaveTextAsync("库存变动: 食盐 (SALT)");
        await Assertions.Expect(page.Locator("#journal-rows tr")).ToHaveCountAsync(1);
        await page.FillAsync("#stock-quantity", "20");
        await Assertions.Expect(page.Locator("#stock-after")).ToHaveTextAsync("保存后可用库存: 22");
        await page.ClickAsync("#stock-save");
        await Assertions.Expect(page.Locator("#stock-error")).ToContainTextAsync("请填写原因");
        await Assertions.Expect(page.Locator("#stock-reason")).ToBeFocusedAsync();
        await page.FillAsync("#stock-reason", "街道配送到货");
        await page.ClickAsync("#stock-save");
        await Assertions.Expect(page.Locator("#stock-result")).ToHaveTextAsync("已保存: 食盐 入库 +20, 现有可用库存 22");
        var managerName = host.Keys.GetProperty("communities")[0].GetProperty("staff")[Manager].GetProperty("name").GetString()!;
        var top = page.Locator("#journal-rows tr").First;
        await Assertions.Expect(page.Locator("#journal-rows tr")).ToHaveCountAsync(2);
        await Assertions.Expect(top.Locator("td:nth-child(2)")).ToHaveTextAsync("入库");
        await Assertions.Expect(top.Locator("td:nth-child(3)")).ToHaveTextAsync("+20");
        await Assertions.Expect(top.Locator("td:nth-child(4)")).ToHaveTextAsync(managerName);
        await Assertions.Expect(top.Locator("td:nth-child(5)")).ToHaveTextAsync("街道配送到货");
        await Assertions.Expect(top.Locator("td:nth-child(1)")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        await Assertions.Expect(row.Locator("td:nth-child(5)")).ToHaveTextAsync("22");
        await Assertions.Expect(row).Not.ToHaveClassAsync("low");
        await Assertions.Expect(row.Locator(".badge.low")).ToHaveCountAsync(0);

        var journal = await StaffGet($"/api/v1/stores/{Store}/items/SALT/stock-changes");
        Assert.Equal("街道配送到货", journal.GetProperty("changes")[0].GetProperty("reason").GetString());
        Assert.Equal(20, journal.GetProperty("changes")[0].GetProperty("quantity").GetInt64());
    }

    [SkippableFact]
    public async Task GoodsScreen_ItsForms_AndTheJournal_HaveNoCriticalOrSeriousAxeViolation()
    {
        BrowserHost.RequireChromium();
        var page = await SignedIn(Manager);
        var failures = new List<string>();
        await OpenGoods(page);
        await Assertions.Expect(page.Locator("nav [data-view=goods]")).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.Locator("#goods-rows tr.low")).Not.ToHaveCountAsync(0); // the demo's loans sit at the mark
        await Axe(page, "goods", failures);

        await page.ClickAsync("#goods-new");
        await page.ClickAsync("#tier-price-add");
        await page.SelectOptionAsync("#item-limit-period", "day");
        await page.ClickAsync("#item-save"); // empty: the page names the first missing field
        await Assertions.Expect(page.Locator("#item-error")).Not.ToBeEmptyAsync();
        await Axe(page, "goods-item-form", failures);

        await page.ClickAsync("#goods-rows tr[data-sku='RICE'] button.stock");
        await Assertions.Expect(page.Locator("#journal-rows tr")).Not.ToHaveCountAsync(0);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Axe(page, "goods-stock-journal", failures);

        await page.ClickAsync("#lang");
        await Assertions.Expect(page.Locator("#goods-title")).ToHaveTextAsync("Goods & stock");
        await Axe(page, "goods-stock-journal-en", failures);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task OpenGoods(IPage page)
    {
        await page.ClickAsync("nav [data-view=goods]");
        await Assertions.Expect(page.Locator("section#goods")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#goods-rows tr[data-sku='RICE']")).ToHaveCountAsync(1);
    }

    private Task<IPage> SignedIn(int role) => host.DeskSignedIn(role, Width, Height);

    // A card reader types the card and Enter, then the PIN and Enter (the kiosk supports that beside its keypad).
    private async Task<IPage> KioskSignedIn(JsonElement resident)
    {
        var context = await host.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1080, Height = 1920 }, BaseURL = host.BaseUrl, TimezoneId = Zone });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/kiosk/?key={host.Kiosk}&store={Store}");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await page.FillAsync("#card", resident.GetProperty("cardNumber").GetString()!);
        await page.PressAsync("#card", "Enter");
        await Assertions.Expect(page.Locator("#pin")).ToBeFocusedAsync();
        await page.FillAsync("#pin", resident.GetProperty("pin").GetString()!);
        await page.PressAsync("#pin", "Enter");
        await Assertions.Expect(page.Locator("#home")).ToBeVisibleAsync();
        return page;
    }

    private Task Axe(IPage page, string screen, List<string> failures) => AxeScan.RecordAsync(page, "staff " + screen, output, failures);

    private static JsonElement Item(JsonElement items, string sku) =>
        items.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("sku").GetString() == sku);

    private Task<JsonElement> StaffGet(string path) => Staff(HttpMethod.Get, path, null);

    private Task<JsonElement> StaffPost(string path, object body) => Staff(HttpMethod.Post, path, body);

    private async Task<JsonElement> Staff(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(host.BaseUrl), path));
        request.Headers.Add("X-Api-Key", host.Staff);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
            request.Headers.Add("Idempotency-Key", "goods-test-" + Guid.NewGuid().ToString("N"));
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A valid RGB PNG of a colour field with fine detail (so it does not compress to nothing), as a phone
    /// photo would be too large for the API unscaled.</summary>
    private static byte[] Png(int width, int height)
    {
        var raw = new byte[height * (1 + (width * 3))];
        var i = 0;
        for (var y = 0; y < height; y++)
        {
            raw[i++] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                raw[i++] = (byte)(x * 255 / width);
                raw[i++] = (byte)(y * 255 / height);
                raw[i++] = (byte)(((x ^ y) * 7) & 0xFF);
            }
        }

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // RGB
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(typed));
        png.Write(four);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>Width and height from a JPEG's start-of-frame marker.</summary>
    private static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        for (var i = 2; i + 9 < jpeg.Length;)
        {
            Assert.Equal(0xFF, jpeg[i]);
            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (marker is >= 0xC0 and <= 0xC3)
            {
                return ((jpeg[i + 7] << 8) | jpeg[i + 8], (jpeg[i + 5] << 8) | jpeg[i + 6]);
            }

            i += 2 + length;
        }

        throw new InvalidDataException("no start-of-frame marker in the JPEG");
    }
}

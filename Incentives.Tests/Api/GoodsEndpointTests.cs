using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using NodaTime;

namespace Incentives.Tests.Api;

/// <summary>Goods as the desk manages them (issue 14): items created and edited with every field, pictures uploaded
/// with a size and type limit and served without a key, the stock journal with who and why, and the kiosk's offers
/// carrying the picture and what is left of a per-resident limit.</summary>
public sealed class GoodsEndpointTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Store = "east-mall";

    // A valid 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    private static int _keys;

    [Fact]
    public async Task APicture_IsStoredUnderItsSha256_OnceForTheSameBytes_AndServedWithoutAKey_CachedForAYear()
    {
        using var first = await UploadAsync(api.Staff(0), Png, "rice.png");
        using var again = await UploadAsync(api.Staff(0), Png, "same.png");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var view = await first.Content.ReadFromJsonAsync<JsonElement>();
        var id = Convert.ToHexStringLower(SHA256.HashData(Png));
        Assert.Equal(id, view.GetProperty("pictureId").GetString());
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pictureId").GetString());
        Assert.Equal("image/png", view.GetProperty("contentType").GetString());

        using var anonymous = api.As(null);
        using var served = await anonymous.GetAsync(view.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());
        Assert.Contains("immutable", served.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());

        using var unknown = await anonymous.GetAsync("/api/v1/pictures/" + new string('0', 64));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badName = await anonymous.GetAsync("/api/v1/pictures/..%2Fapi.db");
        Assert.Equal(HttpStatusCode.NotFound, badName.StatusCode);
    }

    [Fact]
    public async Task APicture_TooLarge_NotAnImage_MissingOrFromTheWrongCaller_IsRefusedInChinese_AndStoresNothing()
    {
        var big = new byte[PictureLimit + 1];
        big[0] = 0xFF;
        big[1] = 0xD8;
        big[2] = 0xFF;
        using var tooLarge = await UploadAsync(api.Staff(0), big, "big.jpg");
        using var svg = await UploadAsync(api.Staff(0), "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"u8.ToArray(), "evil.png");
        using var staff = api.As(api.Staff(0));
        using var json = await staff.PostAsJsonAsync($"/api/v1/stores/{Store}/pictures", new { file = "x" });
        using var empty = await UploadAsync(api.Staff(0), [], "empty.png");
        using var kiosk = await UploadAsync(api.Kiosk(0), Png, "k.png");
        using var otherCommunity = await UploadAsync(api.Staff(1), Png, "w.png");
        var photo = new byte[(int)(2.4 * 1024 * 1024)];
        photo[0] = 0xFF;
        photo[1] = 0xD8;
        photo[2] = 0xFF;
        using var phonePhoto = await UploadAsync(api.Staff(0), photo, "IMG_0001.jpg");
        using var twoFiles = new MultipartFormDataContent { { new ByteArrayContent(Png), "file", "a.png" }, { new ByteArrayContent(Png), "file", "b.png" } };
        using var twoFilesResponse = await staff.PostAsync($"/api/v1/stores/{Store}/pictures", twoFiles);

        await AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "file", "图片超过 512 KiB");
        await AssertProblemAsync(svg, HttpStatusCode.UnsupportedMediaType, "file", "不是 JPEG、PNG 或 WebP");
        await AssertProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "file", "multipart/form-data");
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "file", "请选择图片");
        await AssertProblemAsync(phonePhoto, HttpStatusCode.RequestEntityTooLarge, "file", "图片不超过 512 KiB");
        await AssertProblemAsync(twoFilesResponse, HttpStatusCode.BadRequest, "file", "每次只能上传一张图片");
        Assert.Equal(HttpStatusCode.Forbidden, kiosk.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherCommunity.StatusCode);
        using var anonymous = api.As(null);
        using var svgServed = await anonymous.GetAsync("/api/v1/pictures/" + Convert.ToHexStringLower(SHA256.HashData("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"u8.ToArray())));
        Assert.Equal(HttpStatusCode.NotFound, svgServed.StatusCode);
    }

    [Fact]
    public async Task AnItem_CreatedWithEveryField_ThenEdited_KeepsItsStock_ShowsItsPicture_AndIsLowAtItsMark()
    {
        using var upload = await UploadAsync(api.Staff(0), Png, "oil.png");
        var picture = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pictureId").GetString()!;
        var from = api.Clock.GetCurrentInstant() - Duration.FromDays(1);
        var to = api.Clock.GetCurrentInstant() + Duration.FromDays(30);
        object Body(long price, int lowStockAt, string? pic) => new
        {
            sku = "OIL-5L", nameZh = "花生油 5 升", nameEn = "Peanut oil 5 L", price, stock = 8, kind = "goods", minTier = "A",
            perResidentLimit = new { quantity = 1, period = "month" }, tierPrices = new[] { new { tier = "AAA", percent = 80 } },
            activeFrom = from.ToString(), activeTo = to.ToString(), picture = pic, lowStockAt,
        };

        using var created = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", Body(120, 5, picture));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(8, item.GetProperty("stock").GetInt64());
        Assert.Equal(8, item.GetProperty("received").GetInt64());
        Assert.Equal("/api/v1/pictures/" + picture, item.GetProperty("pictureUrl").GetString());
        Assert.Equal("A", item.GetProperty("minTier").GetString());
        Assert.Equal(80, item.GetProperty("tierPrices")[0].GetProperty("percent").GetInt32());
        Assert.Equal("month", item.GetProperty("perResidentLimit").GetProperty("period").GetString());
        Assert.Equal(from, InstantPattern(item.GetProperty("activeFrom").GetString()!));
        Assert.False(item.GetProperty("lowStock").GetBoolean());

        // An edit sends the whole definition again; its 'stock' is not a receipt, and the picture can be taken off.
        using var edited = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", Body(150, 10, null));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var after = await edited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(150, after.GetProperty("price").GetInt64());
        Assert.Equal(8, after.GetProperty("stock").GetInt64());
        Assert.Equal(10, after.GetProperty("lowStockAt").GetInt32());
        Assert.True(after.GetProperty("lowStock").GetBoolean());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("pictureUrl").ValueKind);
        using var staff = api.As(api.Staff(0));
        var listed = (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/stores/{Store}/items")).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("sku").GetString() == "OIL-5L");
        Assert.Equal(150, listed.GetProperty("price").GetInt64());
    }

    [Fact]
    public async Task AnItem_WithAPictureNeverUploaded_OrABadName_OrABadLowStockMark_IsRefused_AndNotCreated()
    {
        using var unknown = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", Item("NOPIC-1", picture: new string('b', 64)));
        using var badName = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", Item("NOPIC-2", picture: "../../etc/passwd"));
        using var badMark = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", Item("NOPIC-3", lowStockAt: -1));

        await AssertProblemAsync(unknown, HttpStatusCode.BadRequest, "picture", "请先上传图片");
        await AssertProblemAsync(badName, HttpStatusCode.BadRequest, "picture", "SHA-256");
        await AssertProblemAsync(badMark, HttpStatusCode.BadRequest, "lowStockAt", "0–");
        Assert.DoesNotContain(api.Engine.GetItems(new Incentives.Mall.StoreId(Store)), i => i.Definition.Sku.StartsWith("NOPIC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANewItem_SentCreateOnly_WithATakenSku_Is412InChinese_AndTheFirstItemStays()
    {
        using var first = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", Item("TEA-C", stock: 3), ifNoneMatch: "*");
        using var second = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", new
        {
            sku = "TEA-C", nameZh = "另一种茶", nameEn = "Other tea", price = 99, stock = 1, kind = "goods",
        }, ifNoneMatch: "*");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertProblemAsync(second, HttpStatusCode.PreconditionFailed, "sku", "已用于 测试商品 TEA-C");
        var kept = api.Engine.GetItems(new Incentives.Mall.StoreId(Store)).Single(i => i.Definition.Sku == "TEA-C");
        Assert.Equal(5, kept.Definition.Price);
        Assert.Equal(3, kept.Stock);
    }

    [Fact]
    public async Task AnItem_SentWithTheSkuInAnotherLetterCase_IsRefused_AndNeitherRenamesTheItemNorReceivesStockAgain()
    {
        using var created = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", Item("SOY-SAUCE", stock: 20));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var lower = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", new { sku = "soy-sauce", nameZh = "小写酱油", nameEn = "lower", price = 1, stock = 1, kind = "goods" });

        await AssertProblemAsync(lower, HttpStatusCode.Conflict, "sku", "仅大小写不同");
        var item = api.Engine.GetItems(new Incentives.Mall.StoreId(Store)).Single(i => string.Equals(i.Definition.Sku, "SOY-SAUCE", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("SOY-SAUCE", item.Definition.Sku);
        Assert.Equal("测试商品 SOY-SAUCE", item.Definition.NameZh);
        Assert.Equal(20, item.Stock);
        Assert.Single(api.Engine.GetStockChanges(new Incentives.Mall.StoreId(Store), "SOY-SAUCE"));
    }

    [Fact]
    public async Task TwoConcurrentCreateOnlyDefinitions_OfOneSku_ExactlyOneWins()
    {
        var store = new Incentives.Mall.StoreId(Store);
        for (var round = 0; round < 20; round++)
        {
            var sku = $"RACE-{round}";
            var attempts = Enumerable.Range(0, 4).Select(n => api.Engine.DefineItemAsync(store,
                new Incentives.Mall.ItemDefinition(sku, $"竞争 {n}", $"Race {n}", n + 1, Incentives.Mall.ItemKind.Goods), "test", createOnly: true)).ToList();
            var results = await Task.WhenAll(attempts);

            Assert.Single(results, r => r.Value is not null);
            Assert.All(results.Where(r => r.Value is null), r => Assert.Equal(Incentives.Rules.RefusalCode.AlreadyExists, r.Refusal!.Code));
            var winner = results.Single(r => r.Value is not null).Value!.Definition.Price;
            Assert.Equal(winner, api.Engine.GetItems(store).Single(i => i.Definition.Sku == sku).Definition.Price);
        }
    }

    [Fact]
    public async Task TheStockJournal_ListsEveryChange_NewestFirst_WithWhoByName_WhenAndWhy()
    {
        using var created = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", Item("SOAP-J", stock: 4));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var manager = api.Community(0).GetProperty("staff")[2];
        var cookie = await StaffSignInAsync(manager.GetProperty("id").GetString()!, manager.GetProperty("password").GetString()!);
        using var received = await PostAsync(null, $"/api/v1/stores/{Store}/items/SOAP-J/stock", new { kind = "receive", quantity = 20, reason = "供货商 11 月送货" }, cookie);
        using var writeOff = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items/SOAP-J/stock", new { kind = "writeOff", quantity = 3, reason = "包装破损" });
        Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        Assert.Equal(HttpStatusCode.OK, writeOff.StatusCode);

        using var staff = api.As(api.Staff(0));
        var journal = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/stores/{Store}/items/SOAP-J/stock-changes");
        var changes = journal.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["writeOff", "receive", "receive"], changes.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal([-3L, 20L, 4L], changes.Select(c => c.GetProperty("quantity").GetInt64()));
        Assert.Equal("包装破损", changes[0].GetProperty("reason").GetString());
        Assert.Equal(manager.GetProperty("id").GetString(), changes[1].GetProperty("by").GetString());
        Assert.Equal(manager.GetProperty("name").GetString(), changes[1].GetProperty("byName").GetString());
        Assert.Equal("期初库存", changes[2].GetProperty("reason").GetString());
        Assert.Equal(api.Clock.GetCurrentInstant(), InstantPattern(changes[0].GetProperty("at").GetString()!));

        using var unknown = await staff.GetAsync($"/api/v1/stores/{Store}/items/NOPE/stock-changes");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var west = api.As(api.Staff(1));
        using var otherCommunity = await west.GetAsync($"/api/v1/stores/{Store}/items/SOAP-J/stock-changes");
        Assert.Equal(HttpStatusCode.Forbidden, otherCommunity.StatusCode);
    }

    [Fact]
    public async Task Offers_CarryThePicture_AndWhatIsLeftOfTheLimit_AndLeaveOutItemsOutsideTheirWindow()
    {
        using var upload = await UploadAsync(api.Staff(0), Png, "eggs.png");
        var picture = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pictureId").GetString()!;
        using var limited = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items", Item("EGGS-L", stock: 50, picture: picture, limit: 2));
        using var later = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/items",
            Item("LATER-1", activeFrom: (api.Clock.GetCurrentInstant() + Duration.FromDays(7)).ToString()));
        Assert.Equal(HttpStatusCode.Created, limited.StatusCode);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        var resident = api.Resident(0, 8).GetProperty("id").GetString()!;
        await api.Engine.AdjustAsync(new Incentives.Ledger.AdjustmentRequest(new Incentives.Ledger.ResidentId(resident), 500, "funds for the offers test", "test", "goods-offers-funds"));
        using var staff = api.As(api.Staff(0));

        var before = await OfferAsync(staff, resident, "EGGS-L");
        Assert.Equal("/api/v1/pictures/" + picture, before.GetProperty("pictureUrl").GetString());
        Assert.Equal(2, before.GetProperty("limitLeft").GetInt64());
        Assert.Equal(2, before.GetProperty("perResidentLimit").GetProperty("quantity").GetInt32());
        using var reserved = await PostAsync(api.Staff(0), $"/api/v1/stores/{Store}/reservations", new { residentId = resident, lines = new[] { new { sku = "EGGS-L", quantity = 2 } } });
        Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
        Assert.Equal(0, (await OfferAsync(staff, resident, "EGGS-L")).GetProperty("limitLeft").GetInt64());
        var offers = (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/stores/{Store}/offers/{resident}")).GetProperty("items").EnumerateArray();
        Assert.DoesNotContain(offers, o => o.GetProperty("sku").GetString() == "LATER-1");
        Assert.Equal(JsonValueKind.Null, offers.First(o => o.GetProperty("sku").GetString() == "TOWEL").GetProperty("limitLeft").ValueKind);
    }

    private const int PictureLimit = 512 * 1024;

    private static object Item(string sku, long stock = 5, string? picture = null, int? lowStockAt = null, int? limit = null, string? activeFrom = null) => new
    {
        sku, nameZh = "测试商品 " + sku, nameEn = "Test " + sku, price = 5, stock, kind = "goods", picture, lowStockAt, activeFrom,
        perResidentLimit = limit is { } l ? new { quantity = l, period = "month" } : null,
    };

    private static Instant InstantPattern(string text) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(text).Value;

    private static async Task<JsonElement> OfferAsync(HttpClient client, string resident, string sku) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/stores/{Store}/offers/{resident}")).GetProperty("items").EnumerateArray().Single(o => o.GetProperty("sku").GetString() == sku);

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field, string zhPart)
    {
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("field", out var named), problem.ToString());
        Assert.Equal(field, named.GetString());
        Assert.Contains(zhPart, problem.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> UploadAsync(string key, byte[] bytes, string name)
    {
        using var client = api.As(key);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", name);
        return await client.PostAsync($"/api/v1/stores/{Store}/pictures", form);
    }

    private async Task<string> StaffSignInAsync(string id, string password)
    {
        using var client = api.As(null);
        using var response = await client.PostAsJsonAsync("/api/v1/staff-sessions", new { id, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    private async Task<HttpResponseMessage> PostAsync(string? apiKey, string path, object body, string? cookie = null, string? ifNoneMatch = null)
    {
        using var client = api.As(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        request.Headers.Add("Idempotency-Key", "goods-test-" + Interlocked.Increment(ref _keys));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Incentives.Tests.Api;

/// <summary>Manual adjustments (一事一议) through <c>POST /residents/{id}/adjustments</c>, reversals as the statement
/// shows them, and the counter's view of a reservation (issue 14).</summary>
public sealed class CorrectionEndpointTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static int _keys;

    [Fact]
    public async Task Adjustment_WithoutAReason_OrWithZeroPoints_Is400InChinese_AndWritesNothing()
    {
        var resident = api.Resident(0, 5).GetProperty("id").GetString()!;
        var before = api.Engine.GetBalance(new Incentives.Ledger.ResidentId(resident));

        using var noReason = await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/adjustments", new { points = 5, reason = "  " });
        using var missing = await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/adjustments", new { points = 5 });
        using var zero = await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/adjustments", new { points = 0, reason = "nothing" });
        using var admin = api.As(api.Admin);
        using var noKey = await admin.PostAsJsonAsync($"/api/v1/residents/{resident}/adjustments", new { points = 5, reason = "no key" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var problem = await noReason.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("reason", problem.GetProperty("field").GetString());
        Assert.Equal("一事一议调整须填写原因", problem.GetProperty("messageZh").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Equal("points", (await zero.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Equal(before, api.Engine.GetBalance(new Incentives.Ledger.ResidentId(resident)));
    }

    [Fact]
    public async Task PositiveAndNegativeAdjustments_ChangeTheBalance_AndAppearInTheStatement_WithTheReasonAndWho()
    {
        var resident = api.Resident(0, 6).GetProperty("id").GetString()!;
        var manager = api.Community(0).GetProperty("staff")[2];
        var cookie = await StaffSignInAsync(manager.GetProperty("id").GetString()!, manager.GetProperty("password").GetString()!);
        var before = api.Engine.GetBalance(new Incentives.Ledger.ResidentId(resident))!.Available;

        using var plus = await PostAsync(null, $"/api/v1/residents/{resident}/adjustments", new { points = 12, reason = "社区议事会决定: 协助防汛" }, cookie: cookie);
        Assert.Equal(HttpStatusCode.Created, plus.StatusCode);
        var plusEntry = await plus.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("adjustment", plusEntry.GetProperty("kind").GetString());
        Assert.Equal(12, plusEntry.GetProperty("points").GetInt64());
        using var minus = await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/adjustments", new { points = -5, reason = "重复发放的 5 分" });
        Assert.Equal(HttpStatusCode.Created, minus.StatusCode);

        Assert.Equal(before + 7, api.Engine.GetBalance(new Incentives.Ledger.ResidentId(resident))!.Available);
        using var staff = api.As(api.Staff(0));
        var items = (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{resident}/statement?kind=adjustment")).GetProperty("items").EnumerateArray().ToList();
        var up = items.Single(i => i.GetProperty("entryId").GetInt64() == plusEntry.GetProperty("entryId").GetInt64());
        Assert.Equal("社区议事会决定: 协助防汛", up.GetProperty("reason").GetString());
        Assert.Equal("社区议事会决定: 协助防汛", up.GetProperty("explanation").GetString());
        Assert.Equal(manager.GetProperty("id").GetString(), up.GetProperty("recordedBy").GetString());
        Assert.Equal(manager.GetProperty("name").GetString(), up.GetProperty("recordedByName").GetString());
        var down = items.Single(i => i.GetProperty("points").GetInt64() == -5);
        Assert.Equal("重复发放的 5 分", down.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(down.GetProperty("recordedBy").GetString()));
    }

    [Fact]
    public async Task Adjustment_ReplayedWithTheSameKey_CountsOnce_AndAnswersTheSameEntry()
    {
        var resident = api.Resident(0, 7).GetProperty("id").GetString()!;
        var before = api.Engine.GetBalance(new Incentives.Ledger.ResidentId(resident))!.Available;
        var key = Key();

        using var first = await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/adjustments", new { points = 4, reason = "补发" }, key);
        using var again = await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/adjustments", new { points = 4, reason = "补发" }, key);
        using var changed = await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/adjustments", new { points = 40, reason = "补发" }, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entryId").GetInt64(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entryId").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Equal(before + 4, api.Engine.GetBalance(new Incentives.Ledger.ResidentId(resident))!.Available);
    }

    [Fact]
    public async Task Adjustment_OfAnotherCommunitysResident_Is403_AndAKioskCannotAdjust()
    {
        var west = api.Resident(1, 0).GetProperty("id").GetString()!;
        using var other = await PostAsync(api.Staff(0), $"/api/v1/residents/{west}/adjustments", new { points = 3, reason = "x" });
        using var kiosk = await PostAsync(api.Kiosk(0), $"/api/v1/residents/{api.Resident(0, 0).GetProperty("id").GetString()}/adjustments", new { points = 3, reason = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, kiosk.StatusCode);
    }

    [Fact]
    public async Task ReversedLine_NamesItsReversal_WhoAndWhen_AndTheReversalCarriesItsReason()
    {
        var resident = api.Resident(0, 8).GetProperty("id").GetString()!;
        using var made = await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/adjustments", new { points = 6, reason = "误发" });
        var entry = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entryId").GetInt64();
        using var reversed = await PostAsync(api.Staff(0), $"/api/v1/entries/{entry}/reversal", new { reason = "重复录入" });
        Assert.Equal(HttpStatusCode.Created, reversed.StatusCode);
        var reversal = await reversed.Content.ReadFromJsonAsync<JsonElement>();

        using var staff = api.As(api.Staff(0));
        var items = (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{resident}/statement?kind=adjustment")).GetProperty("items").EnumerateArray();
        var line = items.Single(i => i.GetProperty("entryId").GetInt64() == entry);
        Assert.Equal(reversal.GetProperty("entryId").GetInt64(), line.GetProperty("reversedByEntry").GetInt64());
        Assert.Equal(reversal.GetProperty("recordedBy").GetString(), line.GetProperty("reversedBy").GetString());
        Assert.Equal(reversal.GetProperty("at").GetString(), line.GetProperty("reversedAt").GetString());
        Assert.Equal("重复录入", reversal.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Counter_SeesTheMaskedResidentAndTheGoods_AndASecondHandOverIs409SayingWhenAndByWhom()
    {
        var residentJson = api.Resident(0, 9);
        var resident = residentJson.GetProperty("id").GetString()!;
        using var plus = await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/adjustments", new { points = 100, reason = "测试取货" });
        using var reserved = await PostAsync(api.Staff(0), "/api/v1/stores/east-mall/reservations", new { residentId = resident, lines = new[] { new { sku = "TOWEL", quantity = 2 } } });
        Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
        var code = (await reserved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pickupCode").GetString()!;
        var manager = api.Community(0).GetProperty("staff")[2];
        var cookie = await StaffSignInAsync(manager.GetProperty("id").GetString()!, manager.GetProperty("password").GetString()!);

        using var staff = api.As(api.Staff(0));
        var view = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/stores/east-mall/reservations/{code}");
        var name = api.Engine.GetResident(new Incentives.Ledger.ResidentId(resident))!.DisplayName;
        Assert.Equal(name[..1] + new string('*', name.Length - 1), view.GetProperty("residentName").GetString());
        var line = view.GetProperty("items")[0];
        Assert.Equal("TOWEL", line.GetProperty("sku").GetString());
        Assert.Equal(2, line.GetProperty("quantity").GetInt32());
        Assert.False(string.IsNullOrEmpty(line.GetProperty("nameZh").GetString()));

        using var first = await PostAsync(null, $"/api/v1/stores/east-mall/reservations/{code}/fulfil", null, key: null, cookie: cookie);
        using var second = await PostAsync(api.Staff(0), $"/api/v1/stores/east-mall/reservations/{code}/fulfil", null, key: null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("already-fulfilled", problem.GetProperty("code").GetString());
        Assert.Contains($"由 {manager.GetProperty("name").GetString()} 交付", problem.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        Assert.Equal(manager.GetProperty("id").GetString(), problem.GetProperty("fulfilledBy").GetString());
        var after = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/stores/east-mall/reservations/{code}");
        Assert.Equal("fulfilled", after.GetProperty("status").GetString());
        Assert.Equal(manager.GetProperty("name").GetString(), after.GetProperty("fulfilledByName").GetString());
        Assert.True(after.TryGetProperty("fulfilledAt", out var at) && at.ValueKind == JsonValueKind.String);
    }

    private static string Key() => "correction-test-" + Interlocked.Increment(ref _keys);

    private async Task<string> StaffSignInAsync(string id, string password)
    {
        using var client = api.As(null);
        using var response = await client.PostAsJsonAsync("/api/v1/staff-sessions", new { id, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    private async Task<HttpResponseMessage> PostAsync(string? apiKey, string path, object? body, string? key = "", string? cookie = null)
    {
        using var client = api.As(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key.Length == 0 ? Key() : key);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request);
    }
}

using System.Net.Http.Json;
using System.Text.Json;

namespace Incentives.Tests.Api;

/// <summary>Manual credit records, direct grading and credit repair through the API: admin only (until staff
/// identities bring a manager role), each idempotent and explained by its reason and document.</summary>
public sealed class CreditRecordEndpointTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static int _keys;

    [Fact]
    public async Task ManualRecord_Grading_AndRepair_ChangeTheScoreAndTier_AsTheyShould()
    {
        var resident = api.Resident(0, 1).GetProperty("id").GetString()!; // residents 1–4 of 5 consent
        var before = await ScoreAsync(resident);

        var manual = await PostAsync(api.Admin, $"/api/v1/residents/{resident}/credit-records", new { delta = -40, reason = "court determination", document = "DOC-1" });
        Assert.Equal(201, (int)manual.StatusCode);
        var record = await manual.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("manual", record.GetProperty("kind").GetString());
        Assert.Equal(before - 40, await ScoreAsync(resident));

        var repair = await PostAsync(api.Admin, $"/api/v1/credit-records/{record.GetProperty("id").GetInt64()}/repairs", new { newDelta = -10, reason = "repair: volunteer service", document = "REP-1" });
        Assert.Equal(201, (int)repair.StatusCode);
        Assert.Equal(before - 10, await ScoreAsync(resident));

        var grading = await PostAsync(api.Admin, $"/api/v1/residents/{resident}/credit-gradings", new { tier = "B", years = 2, reason = "serious breach", document = "GR-1" });
        Assert.Equal(201, (int)grading.StatusCode);
        using var staff = api.As(api.Staff(0));
        var credit = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/credit/{resident}");
        Assert.Equal("B", credit.GetProperty("tier").GetString());

        var list = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{resident}/credit-records");
        Assert.Contains(list.EnumerateArray(), r => r.GetProperty("document").GetString() == "GR-1");
    }

    [Fact]
    public async Task CreditRecords_ByAStaffKey_Are403_WithoutAKey400_AndWithoutAReason422_NothingWritten()
    {
        var resident = api.Resident(0, 2).GetProperty("id").GetString()!;
        var count = api.Engine.GetCreditRecords(new Incentives.Ledger.ResidentId(resident)).Count;

        Assert.Equal(403, (int)(await PostAsync(api.Staff(0), $"/api/v1/residents/{resident}/credit-records", new { delta = 5, reason = "x", document = "d" })).StatusCode);
        using var admin = api.As(api.Admin);
        Assert.Equal(400, (int)(await admin.PostAsJsonAsync($"/api/v1/residents/{resident}/credit-records", new { delta = 5, reason = "x", document = "d" })).StatusCode);
        var noReason = await PostAsync(api.Admin, $"/api/v1/residents/{resident}/credit-records", new { delta = 5, document = "d" });
        Assert.InRange((int)noReason.StatusCode, 400, 422);
        Assert.Equal("application/problem+json", noReason.Content.Headers.ContentType?.MediaType);

        Assert.Equal(count, api.Engine.GetCreditRecords(new Incentives.Ledger.ResidentId(resident)).Count);
    }

    [Fact]
    public async Task ConsentHistory_ListsEveryGrantAndWithdrawal_NewestFirst_WithWhoAndWhen()
    {
        var resident = api.Resident(0, 9).GetProperty("id").GetString()!;
        using var staff = api.As(api.Staff(0));
        var before = (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{resident}/consent-history")).GetProperty("changes").GetArrayLength();

        using var grant = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/residents/{resident}/consent");
        using var granted = await staff.SendAsync(grant);
        api.Clock.Advance(NodaTime.Duration.FromMinutes(5));
        using var withdraw = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/residents/{resident}/consent");
        using var withdrawn = await staff.SendAsync(withdraw);
        Assert.True(granted.IsSuccessStatusCode && withdrawn.IsSuccessStatusCode);

        var history = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{resident}/consent-history");
        var changes = history.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(before + 2, changes.Count);
        Assert.False(changes[0].GetProperty("granted").GetBoolean());
        Assert.True(changes[1].GetProperty("granted").GetBoolean());
        Assert.Equal(api.Clock.GetCurrentInstant().ToString(), NodaTime.Text.InstantPattern.ExtendedIso.Parse(changes[0].GetProperty("at").GetString()!).Value.ToString());
        Assert.False(string.IsNullOrEmpty(changes[1].GetProperty("by").GetString()));

        using var west = api.As(api.Staff(1));
        using var refused = await west.GetAsync($"/api/v1/residents/{resident}/consent-history");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private async Task<long> ScoreAsync(string resident)
    {
        using var staff = api.As(api.Staff(0));
        return (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/credit/{resident}")).GetProperty("score").GetInt64();
    }

    private async Task<HttpResponseMessage> PostAsync(string key, string path, object body)
    {
        using var client = api.As(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", "credit-records-" + Interlocked.Increment(ref _keys));
        return await client.SendAsync(request);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Incentives.Tests.Support;

namespace Incentives.Tests.Api;

/// <summary>Issue 11, findings 8 and 10: every string field of every body has a documented length limit, arrays hold
/// no nulls, paging and instants are bounded, duplicate and unknown members are refused — each a 400 naming the field.</summary>
public sealed class LimitsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static int _n;

    private const string Award = """{"residentId":"east-001","indicator":"GOV-01","quantity":1}""";

    // route, a body the field is set on, the field's JSON path, its limit.
    public static TheoryData<string, string, string, int> Fields => new()
    {
        { "/api/v1/communities", """{"id":"c1","name":"n"}""", "id", 64 },
        { "/api/v1/communities", """{"id":"c1","name":"n"}""", "name", 100 },
        { "/api/v1/communities", """{"id":"c1","name":"n"}""", "timeZone", 64 },
        { "/api/v1/communities/east/residents", """{"displayName":"n"}""", "displayName", 100 },
        { "/api/v1/communities/east/residents", """{"displayName":"n"}""", "cardNumber", 32 },
        { "/api/v1/communities/east/residents", """{"displayName":"n"}""", "pin", 8 },
        { "/api/v1/communities/east/residents", """{"displayName":"n"}""", "idNumber", 32 },
        { "/api/v1/communities/east/residents", """{"displayName":"n"}""", "id", 64 },
        { "/api/v1/awards/preview", Award, "residentId", 64 },
        { "/api/v1/awards/preview", Award, "indicator", 64 },
        { "/api/v1/awards", Award, "evidence", 500 },
        { "/api/v1/awards", Award, "note", 500 },
        { "/api/v1/awards", Award, "actId", 64 },
        { "/api/v1/entries/1/reversal", "{}", "reason", 500 },
        { "/api/v1/stores", """{"id":"s1","communityId":"east","name":"n"}""", "id", 64 },
        { "/api/v1/stores", """{"id":"s1","communityId":"east","name":"n"}""", "communityId", 64 },
        { "/api/v1/stores", """{"id":"s1","communityId":"east","name":"n"}""", "name", 100 },
        { "/api/v1/stores/east-mall/items", """{"sku":"N1","nameZh":"z","nameEn":"e","price":1,"stock":0,"kind":"goods"}""", "sku", 64 },
        { "/api/v1/stores/east-mall/items", """{"sku":"N1","nameZh":"z","nameEn":"e","price":1,"stock":0,"kind":"goods"}""", "nameZh", 100 },
        { "/api/v1/stores/east-mall/items", """{"sku":"N1","nameZh":"z","nameEn":"e","price":1,"stock":0,"kind":"goods"}""", "nameEn", 100 },
        { "/api/v1/stores/east-mall/items", """{"sku":"N1","nameZh":"z","nameEn":"e","price":1,"stock":0,"kind":"goods"}""", "kind", 64 },
        { "/api/v1/stores/east-mall/items", """{"sku":"N1","nameZh":"z","nameEn":"e","price":1,"stock":0,"kind":"goods"}""", "minTier", 64 },
        { "/api/v1/stores/east-mall/items", """{"sku":"N1","nameZh":"z","nameEn":"e","price":1,"stock":0,"kind":"loan","loanDays":3}""", "overdueIndicator", 64 },
        { "/api/v1/stores/east-mall/items", """{"sku":"N1","nameZh":"z","nameEn":"e","price":1,"stock":0,"kind":"goods","perResidentLimit":{"quantity":1}}""", "perResidentLimit.period", 64 },
        { "/api/v1/stores/east-mall/items", """{"sku":"N1","nameZh":"z","nameEn":"e","price":1,"stock":0,"kind":"goods","tierPrices":[{"percent":80}]}""", "tierPrices[0].tier", 64 },
        { "/api/v1/stores/east-mall/items/RICE/stock", """{"kind":"receive","quantity":1}""", "kind", 64 },
        { "/api/v1/stores/east-mall/items/RICE/stock", """{"kind":"receive","quantity":1}""", "reason", 500 },
        { "/api/v1/stores/east-mall/reservations", """{"lines":[{"quantity":1}]}""", "residentId", 64 },
        { "/api/v1/stores/east-mall/reservations", """{"residentId":"east-001","lines":[{"quantity":1}]}""", "lines[0].sku", 64 },
        { "/api/v1/credit/lookup", "{}", "idNumber", 32 },
        { "/api/v1/benefits/HEATING-SUBSIDY/eligibility", "{}", "residentId", 64 },
        { "/api/v1/benefits/HEATING-SUBSIDY/eligibility", "{}", "idNumber", 32 },
        { "/api/v1/benefits/HEATING-SUBSIDY/eligibility/batch", """{"residents":[{"residentId":"east-001"},{}]}""", "residents[1].residentId", 64 },
        { "/api/v1/benefits/HEATING-SUBSIDY/eligibility/batch", """{"residents":[{"residentId":"east-001"},{}]}""", "residents[1].idNumber", 32 },
        { "/api/v1/keys", """{"role":"partner"}""", "role", 64 },
        { "/api/v1/keys", """{"role":"partner"}""", "scope", 64 },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task StringField_OverItsLimit_Is400NamingTheField(string path, string body, string field, int limit)
    {
        using var response = await Post(path, Set(body, field, new string('x', limit + 1)), api.Admin);

        var problem = await ProblemAssert.IsProblemAsync(response, 400, "invalid-argument");
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("cardNumber", 32)]
    [InlineData("pin", 8)]
    public async Task KioskSignIn_OverALimit_Is400NamingTheField(string field, int limit)
    {
        var body = Set("""{"cardNumber":"E10001","pin":"1234"}""", field, new string('9', limit + 1));

        using var response = await Post("/api/v1/kiosk/sessions", body, api.Kiosk(0));

        Assert.Equal(field, (await ProblemAssert.IsProblemAsync(response, 400)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Evidence_AtItsLimit_IsAccepted()
    {
        using var response = await Post("/api/v1/awards/preview", Set(Award, "evidence", new string('x', 500)), api.Admin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/stores/east-mall/reservations", """{"residentId":"east-001","lines":[null]}""", "lines[0]")]
    [InlineData("/api/v1/stores/east-mall/reservations", """{"residentId":"east-001","lines":[{"sku":"RICE","quantity":1},null]}""", "lines[1]")]
    [InlineData("/api/v1/benefits/HEATING-SUBSIDY/eligibility/batch", """{"residents":[null]}""", "residents[0]")]
    [InlineData("/api/v1/benefits/HEATING-SUBSIDY/eligibility/batch", """{"residents":[{"residentId":"east-001"},null]}""", "residents[1]")]
    [InlineData("/api/v1/stores/east-mall/items", """{"sku":"N2","nameZh":"z","nameEn":"e","price":1,"stock":0,"kind":"goods","tierPrices":[null]}""", "tierPrices[0]")]
    public async Task NullArrayElement_Is400NamingTheElement(string path, string body, string field)
    {
        using var response = await Post(path, body, api.Admin);

        Assert.Equal(field, (await ProblemAssert.IsProblemAsync(response, 400, "invalid-argument")).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("""{"residentId":"east-001","residentId":"east-002","indicator":"GOV-01","quantity":1}""", "residentId")]
    [InlineData("""{"residentId":"east-001","indicator":"GOV-01","quantity":1,"evidance":"typo"}""", "evidance")]
    [InlineData("""{"residentId":"east-001","indicator":"GOV-01","quantity":"1"}""", "quantity")]
    public async Task DuplicateOrUnknownMember_Is400NamingIt(string body, string field)
    {
        using var response = await Post("/api/v1/awards/preview", body, api.Admin);

        var problem = await ProblemAssert.IsProblemAsync(response, 400, "invalid-argument");
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("page=2147483647", "page")]
    [InlineData("page=1000001", "page")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("from=9999-12-31T23:59:59Z", "from")]
    [InlineData("to=0001-01-01T00:00:00Z", "to")]
    [InlineData("kind=award,deduction", "kind")]
    [InlineData("kind=1", "kind")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=1.5", "pageSize")]
    [InlineData("from=2026-12-05T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    public async Task Statement_QueryOutOfBounds_Is400NamingIt(string query, string field)
    {
        using var admin = api.As(api.Admin);

        using var response = await admin.GetAsync(new Uri($"/api/v1/residents/east-001/statement?{query}", UriKind.Relative));

        Assert.Equal(field, (await ProblemAssert.IsProblemAsync(response, 400)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Statement_LastAllowedPage_AnswersAnEmptyPage()
    {
        using var admin = api.As(api.Admin);

        var page = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/residents/east-001/statement?page=1000000&pageSize=500");

        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
        Assert.Equal(1_000_000, page.GetProperty("page").GetInt32());
    }

    [Theory]
    [InlineData("occurredAt", "9999-12-31T23:59:59Z")]
    [InlineData("occurredAt", "0001-01-01T00:00:00Z")]
    [InlineData("quantity", 79228162514264337593543950335d)]
    [InlineData("quantity", -2000000d)]
    public async Task Award_FarOffInstantOrHugeQuantity_Is400NamingIt(string field, object value)
    {
        var body = JsonNode.Parse(Award)!.AsObject();
        body[field] = value is string s ? JsonValue.Create(s) : JsonNode.Parse(((double)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture));

        using var response = await Post("/api/v1/awards", body.ToJsonString(), api.Admin);

        Assert.Equal(field, (await ProblemAssert.IsProblemAsync(response, 400)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task ItemWithImpossibleStock_Is400_AndLeavesNoItemBehind()
    {
        using var response = await Post("/api/v1/stores/east-mall/items", """{"sku":"HUGE","nameZh":"z","nameEn":"e","price":1,"stock":1000001,"kind":"goods"}""", api.Admin);

        Assert.Equal("stock", (await ProblemAssert.IsProblemAsync(response, 400)).GetProperty("field").GetString());
        Assert.DoesNotContain(api.Engine.GetItems(new Incentives.Mall.StoreId("east-mall")), i => i.Definition.Sku == "HUGE");
    }

    private static string Set(string body, string path, string value)
    {
        var root = JsonNode.Parse(body)!;
        var node = root;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            node = part.EndsWith(']') ? node[part[..part.IndexOf('[', StringComparison.Ordinal)]]![int.Parse(part[(part.IndexOf('[', StringComparison.Ordinal) + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }

        node[parts[^1]] = value;
        return root.ToJsonString();
    }

    private async Task<HttpResponseMessage> Post(string path, string body, string key)
    {
        using var client = api.As(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "limits-" + Interlocked.Increment(ref _n));
        return await client.SendAsync(request);
    }
}

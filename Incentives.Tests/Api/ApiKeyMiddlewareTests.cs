using System.Net;
using Incentives.Tests.Support;

namespace Incentives.Tests.Api;

/// <summary>Issue 11, finding 7: the key check follows the endpoint, not the spelling of the path. Measured from
/// outside, so against the real process.</summary>
public sealed class ApiKeyMiddlewareTests(DemoService service) : IClassFixture<DemoService>
{
    public static TheoryData<string, string> MixedCasePaths => new()
    {
        { "GET", "/API/V1/credit/east-001" },
        { "GET", "/Api/v1/credit/east-001" },
        { "GET", "/API/V1/residents/east-001" },
        { "GET", "/api/V1/residents/east-001/statement?page=2" },
        { "GET", "/Api/V1/Stores/east-mall/items" },
        { "GET", "/API/V1/CATALOG" },
        { "POST", "/API/V1/AWARDS" },
        { "POST", "/Api/v1/benefits/HEATING-SUBSIDY/eligibility/batch" },
        { "DELETE", "/API/v1/Keys/key_anything" },
    };

    [Theory]
    [MemberData(nameof(MixedCasePaths))]
    public async Task MixedCasePath_WithoutKey_Is401Problem(string method, string path)
    {
        using var response = await service.SendAsync(new HttpMethod(method), path, body: method == "GET" ? null : new { residentId = "east-001" });

        await ProblemAssert.IsProblemAsync(response, 401, "unauthorized");
    }

    [Theory]
    [MemberData(nameof(MixedCasePaths))]
    public async Task MixedCasePath_WithAnUnknownKey_Is401Problem(string method, string path)
    {
        using var response = await service.SendAsync(new HttpMethod(method), path, key: service.Admin + "x", body: method == "GET" ? null : new { residentId = "east-001" });

        await ProblemAssert.IsProblemAsync(response, 401, "unauthorized");
    }

    [Theory]
    [InlineData("GET", "/API/V1/residents/east-001")]
    [InlineData("GET", "/Api/v1/catalog")]
    [InlineData("GET", "/api/V1/stores/east-mall/items")]
    [InlineData("POST", "/API/V1/AWARDS")]
    [InlineData("POST", "/Api/V1/stores/east-mall/reservations")]
    [InlineData("DELETE", "/API/V1/keys/key_anything")]
    public async Task MixedCasePath_WithAPartnerKey_Is403Problem_BeforeTheIdempotencyCheck(string method, string path)
    {
        // No Idempotency-Key on write routes that require one: the role decides first.
        using var response = await service.SendAsync(new HttpMethod(method), path, key: service.Partner, body: method == "GET" ? null : new { residentId = "east-001" });

        await ProblemAssert.IsProblemAsync(response, 403, "forbidden");
    }

    [Fact]
    public async Task MixedCasePath_WithTheRightKey_ReachesTheSameEndpoint()
    {
        using var lower = await service.SendAsync(HttpMethod.Get, "/api/v1/residents/east-001", service.Admin);
        using var upper = await service.SendAsync(HttpMethod.Get, "/API/V1/RESIDENTS/east-001", service.Admin);

        Assert.Equal(HttpStatusCode.OK, lower.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upper.StatusCode);
        Assert.Equal(await lower.Content.ReadAsStringAsync(), await upper.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RevokedKey_IsRefusedAtOnce()
    {
        using var created = await service.SendAsync(HttpMethod.Post, "/api/v1/keys", service.Admin, new { role = "partner", scope = "to-revoke" });
        var key = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        using var before = await service.SendAsync(HttpMethod.Get, "/api/v1/benefits", key.GetProperty("key").GetString());

        using var revoked = await service.SendAsync(HttpMethod.Delete, "/api/v1/keys/" + key.GetProperty("id").GetString(), service.Admin);
        using var after = await service.SendAsync(HttpMethod.Get, "/API/v1/benefits", key.GetProperty("key").GetString());

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await ProblemAssert.IsProblemAsync(after, 401, "unauthorized");
    }
}

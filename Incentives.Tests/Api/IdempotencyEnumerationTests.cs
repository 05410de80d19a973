using System.Net.Http.Json;
using System.Text.Json;
using Incentives.Api.Idempotency;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Incentives.Tests.Api;

/// <summary>
/// Every route that changes state declares how it treats <c>Idempotency-Key</c>, and every route that honours one is
/// replayed here: the retry answers the first status and body with <c>Idempotent-Replayed: true</c>, the same key with
/// another request is a 409, and a route that requires the key refuses a request without one. The routes come from
/// the app's own endpoint data source, so a new write route without a declaration, or without a sample here, fails.
/// </summary>
public sealed class IdempotencyEnumerationTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private static readonly string[] WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];

    private int _n;

    [Fact]
    public async Task EveryWriteEndpoint_DeclaresItsPolicy_AndEveryKeyedOneReplaysTheFirstAnswerAndRefusesAnotherRequestUnderTheSameKey()
    {
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Endpoint: e)))
            .Where(x => WriteMethods.Contains(x.Method))
            .ToList();
        var samples = Samples();
        var problems = new List<string>();
        var replayed = 0;
        foreach (var (method, endpoint) in endpoints)
        {
            var route = $"{method} {endpoint.RoutePattern.RawText}";
            var policy = endpoint.Metadata.GetMetadata<IdempotencyMetadata>();
            if (policy is null)
            {
                problems.Add($"{route}: declares no idempotency policy");
                continue;
            }

            if (policy.Policy is IdempotencyPolicy.ReadOnly or IdempotencyPolicy.Exempt)
            {
                output.WriteLine($"{route}: {policy.Policy}{(policy.Reason is null ? string.Empty : " — " + policy.Reason)}");
                continue;
            }

            if (!samples.TryGetValue(route, out var sample))
            {
                problems.Add($"{route}: honours Idempotency-Key but has no sample request in this test");
                continue;
            }

            problems.AddRange(await ReplayAsync(route, method, policy.Policy, sample));
            replayed++;
        }

        output.WriteLine($"COUNT: write endpoints {endpoints.Count}, replayed {replayed}, exempt or read-only {endpoints.Count - replayed}");
        Assert.Empty(problems);
        Assert.True(replayed >= 26, $"only {replayed} write endpoints were replayed");
    }

    private async Task<List<string>> ReplayAsync(string route, string method, IdempotencyPolicy policy, Sample sample)
    {
        var problems = new List<string>();
        var (path, body, otherPath, otherBody) = await sample.Make();
        var key = "enum-" + Interlocked.Increment(ref _n);
        var first = await SendAsync(sample.Key, method, path, body, key);
        var retry = await SendAsync(sample.Key, method, path, body, key);
        var other = await SendAsync(sample.Key, method, otherPath ?? path, otherBody, key);
        if (first.Status is < 200 or >= 300)
        {
            return [$"{route}: the sample was answered {first.Status}: {first.Text}"];
        }

        if ((retry.Status, retry.Text, retry.Replayed) != (first.Status, first.Text, "true"))
        {
            problems.Add($"{route}: the retry answered {retry.Status} replayed={retry.Replayed} {retry.Text}, not the first {first.Status} {first.Text}");
        }

        if (other.Status != 409 || !other.Text.Contains("idempotency-conflict", StringComparison.Ordinal))
        {
            problems.Add($"{route}: another request under the same key answered {other.Status} {other.Text}");
        }

        if (policy == IdempotencyPolicy.Required)
        {
            var (path2, body2, _, _) = await sample.Make();
            var keyless = await SendAsync(sample.Key, method, path2, body2, null);
            if (keyless.Status != 400 || !keyless.Text.Contains("Idempotency-Key", StringComparison.Ordinal))
            {
                problems.Add($"{route}: without a key it answered {keyless.Status}, not 400 naming Idempotency-Key");
            }
        }

        return problems;
    }

    private static async Task<(int Status, string Text, string? Replayed)> SendAsync(Func<Task<HttpClient>> client, string method, string path, object? body, string? key)
    {
        using var http = await client();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await http.SendAsync(request);
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) ? values.Single() : null;
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), replayed);
    }

    private Dictionary<string, Sample> Samples()
    {
        const string store = "east-mall";
        var resident = api.Resident(0, 2).GetProperty("id").GetString()!;
        var other = api.Resident(0, 3).GetProperty("id").GetString()!;
        var consenting = api.Resident(0, 5).GetProperty("id").GetString()!;
        var otherConsenting = api.Resident(0, 6).GetProperty("id").GetString()!;
        // Enough points for every reservation the samples make.
        api.Engine.AdjustAsync(new Incentives.Ledger.AdjustmentRequest(new Incentives.Ledger.ResidentId(resident), 500, "test float", "test", "enum-float")).GetAwaiter().GetResult();
        Task<HttpClient> Staff() => Task.FromResult(api.As(api.Staff(0)));
        Task<HttpClient> Admin() => Task.FromResult(api.As(api.Admin));
        Task<HttpClient> Partner() => Task.FromResult(api.As(api.Partner));
        string Next() => "x" + Interlocked.Increment(ref _n);
        Sample Simple(Func<Task<HttpClient>> key, string path, Func<object?> body, Func<object?> otherBody, string? otherPath = null) =>
            new(key, () => Task.FromResult((path, body(), otherPath, otherBody())));

        async Task<string> Reservation(string sku)
        {
            using var staff = api.As(api.Staff(0));
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/stores/{store}/reservations")
            {
                Content = JsonContent.Create(new { residentId = resident, lines = new[] { new { sku, quantity = 1 } } }),
            };
            request.Headers.Add("Idempotency-Key", Next());
            var response = await staff.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            return JsonDocument.Parse(body).RootElement.GetProperty("pickupCode").GetString()!;
        }

        async Task<string> Lent()
        {
            var code = await Reservation("UMBRELLA");
            using var staff = api.As(api.Staff(0));
            (await staff.PostAsync($"/api/v1/stores/{store}/reservations/{code}/fulfil", null)).EnsureSuccessStatusCode();
            return code;
        }

        async Task<long> Entry()
        {
            using var staff = api.As(api.Staff(0));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/awards") { Content = JsonContent.Create(new { residentId = resident, indicator = "FAM-04", quantity = 1 }) };
            request.Headers.Add("Idempotency-Key", Next());
            var response = await staff.SendAsync(request);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entryId").GetInt64();
        }

        async Task<long> ManualRecord()
        {
            var made = await api.Engine.RecordCreditAsync(new Incentives.Credit.ManualCreditRequest(new Incentives.Ledger.ResidentId(consenting), -10, "determination", "M-1", "test", Next()));
            return made.Value!.Id;
        }

        // Records in the loop, made through the library by someone else than the caller, in the state each step needs.
        async Task<long> Submitted()
        {
            // GOV-02 pays 50 a year per resident: spread over the community so none is capped to 0 (which needs no review).
            var owner = api.Resident(0, Interlocked.Increment(ref _n) % 25).GetProperty("id").GetString()!;
            var made = await api.Engine.SubmitAsync(new Incentives.Ledger.AwardRequest(new Incentives.Ledger.ResidentId(owner), new Incentives.Catalog.IndicatorCode("GOV-02"), 1,
                "someone-else", Next()));
            return made.Value!.Record!.Id;
        }

        async Task<long> Pending()
        {
            var id = await Submitted();
            await api.Engine.ApproveAsync(new Incentives.Governance.ReviewRequest(id, "a-reviewer", Next()));
            return id;
        }

        async Task<long> Objected()
        {
            var id = await Pending();
            await api.Engine.ObjectAsync(new Incentives.Governance.ObjectionRequest(id, "a-neighbour", "check it", Next()));
            return id;
        }

        async Task<long> OpenAppeal()
        {
            var made = await api.Engine.AppealAsync(new Incentives.Governance.AppealRequest(new Incentives.Ledger.ResidentId(consenting), null, await ManualRecord(), "not me", "someone", Next()));
            return made.Value!.Id;
        }

        async Task<string> NewKey()
        {
            using var admin = api.As(api.Admin);
            var response = await admin.PostAsJsonAsync("/api/v1/keys", new { role = "partner", scope = "library" });
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        return new Dictionary<string, Sample>(StringComparer.Ordinal)
        {
            ["POST /api/v1/communities"] = new(Admin, () =>
            {
                var id = Next();
                return Task.FromResult(("/api/v1/communities", (object?)new { id, name = "新社区" }, (string?)null, (object?)new { id, name = "另一个" }));
            }),
            ["POST /api/v1/communities/{id}/residents"] = Simple(Staff, "/api/v1/communities/east/residents", () => new { displayName = "幂等居民" }, () => new { displayName = "另一个" }),
            ["POST /api/v1/residents/{id}/consent"] = Simple(Staff, $"/api/v1/residents/{consenting}/consent", () => null, () => null, $"/api/v1/residents/{otherConsenting}/consent"),
            ["DELETE /api/v1/residents/{id}/consent"] = Simple(Staff, $"/api/v1/residents/{consenting}/consent", () => null, () => null, $"/api/v1/residents/{otherConsenting}/consent"),
            ["POST /api/v1/awards"] = Simple(Staff, "/api/v1/awards", () => new { residentId = resident, indicator = "GOV-05", quantity = 1 }, () => new { residentId = resident, indicator = "GOV-05", quantity = 2 }),
            ["POST /api/v1/residents/{id}/adjustments"] = Simple(Staff, $"/api/v1/residents/{resident}/adjustments", () => new { points = 3, reason = "一事一议" },
                () => new { points = 4, reason = "一事一议" }),
            ["POST /api/v1/entries/{entryId:long}/reversal"] = new(Staff, async () =>
                ($"/api/v1/entries/{await Entry()}/reversal", new { reason = "recorded twice" }, null, new { reason = "another reason" })),
            ["POST /api/v1/stores"] = new(Staff, () =>
            {
                var id = Next();
                return Task.FromResult(("/api/v1/stores", (object?)new { id, communityId = "east", name = "二号店" }, (string?)null, (object?)new { id, communityId = "east", name = "三号店" }));
            }),
            ["POST /api/v1/stores/{storeId}/items"] = new(Staff, () =>
            {
                var sku = "S" + Next();
                return Task.FromResult(($"/api/v1/stores/{store}/items", (object?)new { sku, nameZh = "新品", nameEn = "New", price = 3, stock = 5, kind = "goods" }, (string?)null,
                    (object?)new { sku, nameZh = "新品", nameEn = "New", price = 4, stock = 5, kind = "goods" }));
            }),
            ["POST /api/v1/stores/{storeId}/items/{sku}/stock"] = Simple(Staff, $"/api/v1/stores/{store}/items/RICE/stock", () => new { kind = "receive", quantity = 2, reason = "delivery" },
                () => new { kind = "receive", quantity = 3, reason = "delivery" }),
            ["POST /api/v1/stores/{storeId}/reservations"] = Simple(Staff, $"/api/v1/stores/{store}/reservations", () => new { residentId = resident, lines = new[] { new { sku = "NOODLES", quantity = 1 } } },
                () => new { residentId = resident, lines = new[] { new { sku = "NOODLES", quantity = 2 } } }),
            ["POST /api/v1/stores/{storeId}/reservations/{pickupCode}/fulfil"] = new(Staff, async () =>
                ($"/api/v1/stores/{store}/reservations/{await Reservation("TOWEL")}/fulfil", null, $"/api/v1/stores/{store}/reservations/{await Reservation("TOWEL")}/fulfil", null)),
            ["POST /api/v1/stores/{storeId}/reservations/{pickupCode}/cancel"] = new(Staff, async () =>
                ($"/api/v1/stores/{store}/reservations/{await Reservation("TOWEL")}/cancel", null, $"/api/v1/stores/{store}/reservations/{await Reservation("TOWEL")}/cancel", null)),
            ["POST /api/v1/stores/{storeId}/reservations/{pickupCode}/return"] = new(Staff, async () =>
                ($"/api/v1/stores/{store}/reservations/{await Lent()}/return", null, $"/api/v1/stores/{store}/reservations/{await Lent()}/return", null)),
            ["POST /api/v1/benefits/{code}/eligibility"] = Simple(Partner, "/api/v1/benefits/HEATING-SUBSIDY/eligibility", () => new { residentId = resident }, () => new { residentId = other }),
            ["POST /api/v1/benefits/{code}/eligibility/batch"] = Simple(Partner, "/api/v1/benefits/HEATING-SUBSIDY/eligibility/batch",
                () => new { residents = new[] { new { residentId = resident } } }, () => new { residents = new[] { new { residentId = other } } }),
            ["POST /api/v1/admin/backups"] = Simple(Admin, "/api/v1/admin/backups", () => null, () => new { note = "another request" }),
            ["DELETE /api/v1/keys/{id}"] = new(Admin, async () => ($"/api/v1/keys/{await NewKey()}", null, $"/api/v1/keys/{await NewKey()}", null)),
            ["POST /api/v1/residents/{id}/credit-records"] = Simple(Admin, $"/api/v1/residents/{consenting}/credit-records",
                () => new { delta = 5, reason = "commendation", document = "D-1" }, () => new { delta = 6, reason = "commendation", document = "D-1" }),
            ["POST /api/v1/residents/{id}/credit-gradings"] = Simple(Admin, $"/api/v1/residents/{consenting}/credit-gradings",
                () => new { tier = "A", years = 1, reason = "determination", document = "G-1" }, () => new { tier = "B", years = 1, reason = "determination", document = "G-1" }),
            ["POST /api/v1/records/{recordId:long}/approval"] = new(Admin, async () =>
                ($"/api/v1/records/{await Submitted()}/approval", null, $"/api/v1/records/{await Submitted()}/approval", null)),
            ["POST /api/v1/records/{recordId:long}/rejection"] = new(Admin, async () =>
                ($"/api/v1/records/{await Submitted()}/rejection", new { reason = "no minutes" }, null, new { reason = "another reason" })),
            ["POST /api/v1/records/{recordId:long}/objections"] = new(Staff, async () =>
                ($"/api/v1/records/{await Pending()}/objections", new { reason = "not true" }, null, new { reason = "another reason" })),
            ["POST /api/v1/records/{recordId:long}/decision"] = new(Admin, async () =>
                ($"/api/v1/records/{await Objected()}/decision", new { confirm = false, reason = "upheld" }, null, new { confirm = true, reason = "upheld" })),
            ["POST /api/v1/residents/{id}/appeals"] = new(Staff, async () =>
            {
                var target = await ManualRecord();
                return ($"/api/v1/residents/{consenting}/appeals", new { creditRecordId = target, reason = "not me" }, null, new { creditRecordId = target, reason = "another reason" });
            }),
            ["POST /api/v1/appeals/{appealId:long}/decision"] = new(Admin, async () =>
                ($"/api/v1/appeals/{await OpenAppeal()}/decision", new { outcome = "upheld", reason = "stands" }, null, new { outcome = "voided", reason = "stands" })),
            ["POST /api/v1/residents/{id}/card/unlock"] = Simple(Staff, $"/api/v1/residents/{resident}/card/unlock", () => null, () => null, $"/api/v1/residents/{other}/card/unlock"),
            ["PUT /api/v1/residents/{id}/status"] = Simple(Staff, $"/api/v1/residents/{other}/status", () => new { status = "active" }, () => new { status = "inactive" }),
            ["PUT /api/v1/residents/{id}/profile"] = Simple(Staff, $"/api/v1/residents/{other}/profile", () => new { building = "1号楼", grid = (string?)null, phone = "13812345678" },
                () => new { building = "2号楼", grid = (string?)null, phone = (string?)null }),
            ["DELETE /api/v1/residents/{id}/profile"] = Simple(Staff, $"/api/v1/residents/{resident}/profile", () => null, () => null, $"/api/v1/residents/{other}/profile"),
            ["POST /api/v1/credit-records/{recordId:long}/repairs"] = new(Admin, async () =>
                ($"/api/v1/credit-records/{await ManualRecord()}/repairs", new { newDelta = -5, reason = "repair", document = "R-1" }, null, new { newDelta = -4, reason = "repair", document = "R-1" })),
        };
    }

    /// <summary>How to call one route: which key, and a fresh (path, body, other path, other body) for each use.</summary>
    private sealed record Sample(Func<Task<HttpClient>> Key, Func<Task<(string Path, object? Body, string? OtherPath, object? OtherBody)>> Make);
}

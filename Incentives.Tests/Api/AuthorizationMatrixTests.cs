using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Mall;

namespace Incentives.Tests.Api;

/// <summary>Every route × every role gets exactly the intended 2xx, 401 or 403; every problem is problem+json with a type.</summary>
public sealed class AuthorizationMatrixTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string None = "none", Admin = "admin", StaffA = "staff A", StaffB = "staff B", Kiosk = "kiosk", Partner = "partner", Resident = "resident session";

    private static readonly string[] Roles = [None, Admin, StaffA, StaffB, Kiosk, Partner, Resident];

    private int _n;

    private sealed record Route(string Method, string Path, Func<Task<string>>? Prepare, Func<object?> Body, string[] Allowed, bool IdempotencyKey = false);

    [Fact]
    public async Task EveryRoute_ForEveryRole_AnswersExactlyAsIntended()
    {
        var session = await api.SignIn(0, 0);
        var resident = api.Resident(0, 0).GetProperty("id").GetString()!;
        var idNumber = api.Resident(0, 0).GetProperty("idNumber").GetString()!;
        await api.Engine.AdjustAsync(new AdjustmentRequest(new ResidentId(resident), 5000, "enough for every reservation of the matrix", "test", "matrix-funds"));
        var routes = Routes(resident, idNumber);
        var failures = new List<string>();
        foreach (var route in routes)
        {
            foreach (var role in Roles)
            {
                var path = route.Prepare is null ? route.Path : route.Path.Replace("{x}", await route.Prepare(), StringComparison.Ordinal);
                using var client = Client(role, session);
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
                if (route.Body() is { } body)
                {
                    request.Content = JsonContent.Create(body);
                }

                if (route.IdempotencyKey)
                {
                    request.Headers.Add("Idempotency-Key", "matrix-" + Interlocked.Increment(ref _n));
                }

                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var expected = role == None ? "401" : route.Allowed.Contains(role) ? "2xx" : "403";
                var actual = status is >= 200 and < 300 ? "2xx" : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (expected != actual)
                {
                    failures.Add($"{route.Method} {route.Path} as {role}: expected {expected}, got {actual} {await response.Content.ReadAsStringAsync()}");
                }

                if (status >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Assert.True(problem.TryGetProperty("type", out var type) && type.GetString()!.Length > 0, $"{route.Path}: problem without type");
                }
            }
        }

        Assert.Empty(failures);
        Assert.True(routes.Count >= 30);
    }

    private List<Route> Routes(string resident, string idNumber)
    {
        string[] all = [Admin, StaffA, StaffB, Kiosk, Partner, Resident];
        string Next() => "m" + Interlocked.Increment(ref _n);
        var store = "east-mall";
        return
        [
            new("GET", "/api/v1/catalog", null, () => null, [Admin, StaffA, StaffB, Kiosk, Resident]),
            new("GET", "/api/v1/catalog/{x}", () => Task.FromResult(api.Engine.Catalog.Hash), () => null, [Admin, StaffA, StaffB, Kiosk, Resident]),
            new("POST", "/api/v1/communities", null, () => new { id = Next(), name = "新社区" }, [Admin]),
            new("GET", "/api/v1/communities", null, () => null, [Admin, StaffA, StaffB]),
            new("POST", "/api/v1/communities/east/residents", null, () => new { displayName = "新居民" }, [Admin, StaffA], IdempotencyKey: true),
            new("GET", $"/api/v1/residents/{resident}", null, () => null, [Admin, StaffA, Resident]),
            new("POST", $"/api/v1/residents/{resident}/consent", null, () => null, [Admin, StaffA, Resident]),
            new("DELETE", $"/api/v1/residents/{resident}/consent", null, () => null, [Admin, StaffA, Resident]),
            new("GET", $"/api/v1/residents/{resident}/consent-history", null, () => null, [Admin, StaffA, Resident]),
            new("POST", $"/api/v1/residents/{resident}/consent", null, () => null, [Admin, StaffA, Resident]),
            new("POST", "/api/v1/awards/preview", null, () => new { residentId = resident, indicator = "GOV-01", quantity = 1 }, [Admin, StaffA]),
            new("POST", "/api/v1/awards", null, () => new { residentId = resident, indicator = "FAM-04", quantity = 1 }, [Admin, StaffA], IdempotencyKey: true),
            new("POST", "/api/v1/entries/{x}/reversal", NewEntry, () => new { reason = "recorded by mistake" }, [Admin, StaffA]),
            new("GET", $"/api/v1/residents/{resident}/statement", null, () => null, [Admin, StaffA, Resident]),
            new("POST", $"/api/v1/residents/{resident}/adjustments", null, () => new { points = 1, reason = "matrix" }, [Admin, StaffA], IdempotencyKey: true),
            new("POST", "/api/v1/stores", null, () => new { id = Next(), communityId = "east", name = "二号店" }, [Admin, StaffA]),
            new("GET", $"/api/v1/stores/{store}/items", null, () => null, [Admin, StaffA, Kiosk, Resident]),
            new("POST", $"/api/v1/stores/{store}/items", null, () => new { sku = "S" + Next(), nameZh = "新品", nameEn = "New", price = 3, stock = 5, kind = "goods" }, [Admin, StaffA], IdempotencyKey: true),
            new("POST", $"/api/v1/stores/{store}/items/RICE/stock", null, () => new { kind = "receive", quantity = 1, reason = "delivery" }, [Admin, StaffA], IdempotencyKey: true),
            new("GET", $"/api/v1/stores/{store}/items/RICE/stock-changes", null, () => null, [Admin, StaffA]),
            new("POST", $"/api/v1/stores/{store}/reservations", null, () => new { residentId = resident, lines = new[] { new { sku = "TOWEL", quantity = 1 } } }, [Admin, StaffA, Resident], IdempotencyKey: true),
            new("GET", $"/api/v1/stores/{store}/reservations/{{x}}", NewReservation, () => null, [Admin, StaffA, Kiosk, Resident]),
            new("POST", $"/api/v1/stores/{store}/reservations/{{x}}/fulfil", NewReservation, () => null, [Admin, StaffA]),
            new("POST", $"/api/v1/stores/{store}/reservations/{{x}}/cancel", NewReservation, () => null, [Admin, StaffA, Resident]),
            new("POST", $"/api/v1/stores/{store}/reservations/{{x}}/return", NewLoan, () => null, [Admin, StaffA]),
            new("GET", $"/api/v1/credit/{resident}", null, () => null, [Admin, StaffA, Partner, Resident]),
            new("POST", "/api/v1/credit/lookup", null, () => new { idNumber }, [Admin, Partner]),
            new("GET", "/api/v1/benefits", null, () => null, all),
            new("POST", "/api/v1/benefits/HEATING-SUBSIDY/eligibility", null, () => new { residentId = resident }, [Admin, StaffA, Partner]),
            new("POST", "/api/v1/benefits/HEATING-SUBSIDY/eligibility/batch", null, () => new { residents = new[] { new { residentId = resident } } }, [Admin, StaffA, Partner]),
            new("GET", "/api/v1/eligibility-decisions/{x}", NewDecision, () => null, [Admin, StaffA, Partner]),
            new("GET", $"/api/v1/volunteers/{resident}/stars", null, () => null, [Admin, StaffA, Resident]),
            new("POST", "/api/v1/kiosk/sessions", null, () => new { cardNumber = api.Resident(0, 1).GetProperty("cardNumber").GetString(), pin = api.Resident(0, 1).GetProperty("pin").GetString() }, [Kiosk, Resident]),
            new("GET", $"/api/v1/stores/{store}/offers/{resident}", null, () => null, [Admin, StaffA, Resident]),
            new("GET", "/api/v1/communities/east/residents?q=east", null, () => null, [Admin, StaffA]),
            new("GET", $"/api/v1/residents/{resident}/points-by-category", null, () => null, [Admin, StaffA, Resident]),
            new("GET", $"/api/v1/residents/{resident}/reservations", null, () => null, [Admin, StaffA, Resident]),
            new("GET", $"/api/v1/stores/{store}/reservations/{{x}}/qr", NewReservation, () => null, [Admin, StaffA, Kiosk, Resident]),
            new("POST", "/api/v1/keys", null, () => new { role = "partner", scope = "library" }, [Admin]),
            new("DELETE", "/api/v1/keys/{x}", NewKey, () => null, [Admin]),
            // A staff key is a system key with every staff role: it manages its own community's staff.
            new("GET", "/api/v1/staff", null, () => null, [Admin, StaffA, StaffB]),
            new("POST", "/api/v1/staff", null, () => new { id = "east-" + Next(), name = "新同事", role = "recorder", community = "east", password = "a-long-password" }, [Admin, StaffA]),
            new("POST", "/api/v1/staff/{x}/password", NewStaff, () => new { password = "another-long-password" }, [Admin, StaffA]),
            // Issue 14: residents administration, staff of the resident's community or admin.
            new("GET", $"/api/v1/residents/{resident}/card", null, () => null, [Admin, StaffA]),
            new("POST", "/api/v1/residents/{x}/card", NewResident, () => new { cardNumber = "M" + (80000 + Interlocked.Increment(ref _n)).ToString(System.Globalization.CultureInfo.InvariantCulture) }, [Admin, StaffA]),
            new("POST", $"/api/v1/residents/{resident}/pin", null, () => null, [Admin, StaffA]),
            new("POST", $"/api/v1/residents/{resident}/card/unlock", null, () => null, [Admin, StaffA]),
            new("PUT", $"/api/v1/residents/{resident}/status", null, () => new { status = "active" }, [Admin, StaffA]),
            new("GET", $"/api/v1/residents/{resident}/profile", null, () => null, [Admin, StaffA]),
            new("PUT", $"/api/v1/residents/{resident}/profile", null, () => new { building = "1号楼", grid = "第一网格", phone = "13812345678" }, [Admin, StaffA]),
            new("DELETE", $"/api/v1/residents/{resident}/profile", null, () => null, [Admin, StaffA]),
            new("GET", "/api/v1/communities/east/residents/export?format=csv", null, () => null, [Admin, StaffA]),
        ];

        async Task<string> NewResident() =>
            (await api.Engine.RegisterResidentAsync(new CommunityId("east"), "矩阵居民", null, Next())).Value!.Id.Value;

        async Task<string> NewStaff()
        {
            var id = "east-" + Next();
            using var admin = api.As(api.Admin);
            var created = await admin.PostAsJsonAsync("/api/v1/staff", new { id, name = "新同事", role = "recorder", community = "east", password = "a-long-password" });
            created.EnsureSuccessStatusCode();
            return id;
        }

        async Task<string> NewEntry()
        {
            var entry = await api.Engine.AdjustAsync(new AdjustmentRequest(new ResidentId(resident), 1, "matrix", "test", Next()));
            return entry.Value!.Id.ToString();
        }

        async Task<string> NewReservation() =>
            (await api.Engine.ReserveAsync(new ReservationRequest(new StoreId(store), new ResidentId(resident), [new LineRequest("NOODLES", 1)], Next()))) is { Value: { } r } ? r.PickupCode : throw new InvalidOperationException("reserve refused: " + api.Engine.GetBalance(new ResidentId(resident)));

        async Task<string> NewLoan()
        {
            var code = (await api.Engine.ReserveAsync(new ReservationRequest(new StoreId(store), new ResidentId(resident), [new LineRequest("UMBRELLA", 1)], Next()))).Value!.PickupCode;
            await api.Engine.FulfilAsync(new StoreId(store), code, "test");
            return code;
        }

        async Task<string> NewDecision() => (await api.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", new ResidentId(resident))).Value!.Id;

        async Task<string> NewKey()
        {
            using var admin = api.As(api.Admin);
            var key = await admin.PostAsJsonAsync("/api/v1/keys", new { role = "partner", scope = "to-revoke" });
            return (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
    }

    private HttpClient Client(string role, string session) => role switch
    {
        Admin => api.As(api.Admin),
        StaffA => api.As(api.Staff(0)),
        StaffB => api.As(api.Staff(1)),
        Kiosk => api.As(api.Kiosk(0)),
        Partner => api.As(api.Partner),
        Resident => api.As(api.Kiosk(0), session),
        _ => api.As(null),
    };
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Incentives.Api.Security;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Incentives.Tests.Api;

public sealed class ApiBehaviourTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Health_And_Swagger_AreServed()
    {
        using var anonymous = api.As(null);

        var health = await anonymous.GetFromJsonAsync<JsonElement>("/health");
        var swagger = await anonymous.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.True(swagger.GetProperty("paths").TryGetProperty("/api/v1/awards", out _));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/swagger/index.html")).StatusCode);
    }

    [Fact]
    public async Task Awards_ConcurrentIdenticalRequestsWithOneKey_MakeOneEntryAndTheSameBody()
    {
        using var staff = api.As(api.Staff(0));
        var body = new { residentId = "east-003", indicator = "FAM-04", quantity = 1, evidence = "wallet returned" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/awards") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "same-award");
            var response = await staff.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, r => Assert.Equal(201, r.Item1));
        Assert.Single(responses.Select(r => r.Item2).Distinct());
        var statement = await staff.GetFromJsonAsync<JsonElement>("/api/v1/residents/east-003/statement?kind=award&pageSize=500");
        Assert.Single(statement.GetProperty("items").EnumerateArray(), i => i.GetProperty("indicator").GetString() == "FAM-04");

        using var other = new HttpRequestMessage(HttpMethod.Post, "/api/v1/awards") { Content = JsonContent.Create(body with { quantity = 2 }) };
        other.Headers.Add("Idempotency-Key", "same-award");
        var conflict = await staff.SendAsync(other);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType!.MediaType);
        Assert.Equal("idempotency-conflict", (await conflict.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Awards_BusinessRefusal_Is422NamingTheFieldWithTheExplanation()
    {
        using var staff = api.As(api.Staff(0));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/awards") { Content = JsonContent.Create(new { residentId = "east-004", indicator = "ENV-02", quantity = 1.5 }) };
        request.Headers.Add("Idempotency-Key", "fractional");

        var response = await staff.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal(("quantity", "https://incentives.dev/problems/quantity-out-of-range"), (problem.GetProperty("field").GetString(), problem.GetProperty("type").GetString()));
        Assert.True(problem.TryGetProperty("explanation", out _));
    }

    [Fact]
    public async Task Awards_WithoutIdempotencyKey_Is400()
    {
        using var staff = api.As(api.Staff(0));

        var response = await staff.PostAsJsonAsync("/api/v1/awards", new { residentId = "east-004", indicator = "GOV-01", quantity = 1 });

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("Idempotency-Key", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Residents_IdNumber_NeverAppearsInTheDataFilesOrLogs()
    {
        const string idNumber = "11010519880808123X";
        using var staff = api.As(api.Staff(0));
        using var register = new HttpRequestMessage(HttpMethod.Post, "/api/v1/communities/east/residents")
        {
            Content = JsonContent.Create(new { displayName = "身份证测试", idNumber, cardNumber = "E99999", pin = "2468" }),
        };
        register.Headers.Add("Idempotency-Key", "register-id-number-test");
        var created = await staff.SendAsync(register);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var partner = api.As(api.Partner);
        var lookup = await partner.PostAsJsonAsync("/api/v1/credit/lookup", new { idNumber });
        Assert.True((await lookup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("found").GetBoolean());
        api.Services.GetRequiredService<ApiStore>().Write(() => 0);
        api.Engine.Store.Checkpoint();

        var hits = new List<string>();
        // .lock holds nothing; the running service keeps it locked.
        foreach (var file in Directory.GetFiles(api.DataDirectory, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != ".lock"))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var memory = new MemoryStream())
            {
                await stream.CopyToAsync(memory);
                bytes = memory.ToArray();
            }

            if (Contains(bytes, Encoding.UTF8.GetBytes(idNumber)) || Contains(bytes, Encoding.Unicode.GetBytes(idNumber)))
            {
                hits.Add(Path.GetFileName(file));
            }
        }

        Assert.Empty(hits);
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(idNumber, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kiosk_FiveWrongPins_LockTheCardWithAClearMessageForFifteenMinutes()
    {
        var resident = api.Resident(1, 2);
        var card = resident.GetProperty("cardNumber").GetString();
        var pin = resident.GetProperty("pin").GetString()!;
        var wrong = pin == "000000" ? "111111" : "000000";
        using var kiosk = api.As(api.Kiosk(1));
        JsonElement last = default;
        for (var i = 0; i < 5; i++)
        {
            var response = await kiosk.PostAsJsonAsync("/api/v1/kiosk/sessions", new { cardNumber = card, pin = wrong });
            Assert.Equal(401, (int)response.StatusCode);
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var locked = await kiosk.PostAsJsonAsync("/api/v1/kiosk/sessions", new { cardNumber = card, pin });
        var problem = await locked.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("card-locked", last.GetProperty("code").GetString());
        Assert.Equal(403, (int)locked.StatusCode);
        Assert.Equal("card-locked", problem.GetProperty("code").GetString());
        Assert.Contains("15 分钟", problem.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        api.Clock.Advance(Duration.FromMinutes(15));
        Assert.Equal(HttpStatusCode.Created, (await kiosk.PostAsJsonAsync("/api/v1/kiosk/sessions", new { cardNumber = card, pin })).StatusCode);
    }

    [Fact]
    public async Task Credit_PartnerSeesRatedAndTierOnly_AndTheReadIsLogged()
    {
        using var partner = api.As(api.Partner);

        var json = await partner.GetStringAsync("/api/v1/credit/west-001");

        var view = JsonDocument.Parse(json).RootElement;
        Assert.Equal(["residentId", "rated", "tier", "asOf"], view.EnumerateObject().Select(p => p.Name));
        var store = api.Services.GetRequiredService<ApiStore>();
        store.FlushAccessLog(); // rows are written in batches off the request path
        Assert.Contains(store.Read(() => store.Access.FindAll().ToList()), a => a.Resident == "west-001" && a.Role == "Partner");
    }

    [Fact]
    public async Task Requests_OverOneMebibyte_AreRefusedWith413()
    {
        using var staff = api.As(api.Staff(0));
        using var content = new StringContent("{\"residentId\":\"" + new string('x', (1 << 20) + 10) + "\"}", Encoding.UTF8, "application/json");

        var response = await staff.PostAsync("/api/v1/awards/preview", content);

        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Reservations_RefusalCarriesTheShortfallForTheKiosk()
    {
        var token = await api.SignIn(1, 4);
        var resident = api.Resident(1, 4).GetProperty("id").GetString();
        using var kiosk = api.As(api.Kiosk(1), token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stores/west-mall/reservations")
        {
            Content = JsonContent.Create(new { residentId = resident, lines = new[] { new { sku = "RICE", quantity = 30 } } }),
        };
        request.Headers.Add("Idempotency-Key", "too-much-rice");

        var response = await kiosk.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("insufficient-points", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("shortfall").GetInt64() > 0);
        Assert.StartsWith("还差", problem.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}

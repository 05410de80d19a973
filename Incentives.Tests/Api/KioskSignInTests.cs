using System.Net;
using System.Text.Json;
using Incentives.Tests.Support;

namespace Incentives.Tests.Api;

/// <summary>Issue 11, finding 11: the PIN lock-out is exact under concurrency, and the kiosk is no card-number oracle.
/// Against the real process, as measured.</summary>
public sealed class KioskSignInTests(DemoService service) : IClassFixture<DemoService>
{
    [Fact]
    public async Task SixtyFourConcurrentWrongPins_OnOneCard_CheckExactlyFiveAndFindTheCardLocked()
    {
        var resident = service.Resident(0, 5);
        var card = resident.GetProperty("cardNumber").GetString();
        var wrong = WrongPin(resident);

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            using var response = await service.SendAsync(HttpMethod.Post, "/api/v1/kiosk/sessions", service.Kiosk(0), new { cardNumber = card, pin = wrong });
            var problem = await ProblemAssert.IsProblemAsync(response);
            return ((int)response.StatusCode, problem.GetProperty("code").GetString());
        }));
        using var rightPin = await service.SendAsync(HttpMethod.Post, "/api/v1/kiosk/sessions", service.Kiosk(0), new { cardNumber = card, pin = resident.GetProperty("pin").GetString() });

        Assert.Equal(5, answers.Count(a => a.Item1 == 401));
        Assert.Equal(59, answers.Count(a => a == (403, "card-locked")));
        Assert.Equal(4, answers.Count(a => a == (401, "wrong-card-or-pin")));
        Assert.Equal(1, answers.Count(a => a == (401, "card-locked")));
        await ProblemAssert.IsProblemAsync(rightPin, 403, "card-locked");
    }

    [Fact]
    public async Task UnknownCardAndWrongPin_AnswerAlike_AndLockAlike()
    {
        var resident = service.Resident(0, 6);
        var card = resident.GetProperty("cardNumber").GetString();
        var wrong = WrongPin(resident);
        var unknownCard = "E" + Random.Shared.Next(90000, 99999);
        var otherCommunitysCard = service.Resident(1, 6).GetProperty("cardNumber").GetString();

        var real = await Attempts(card, wrong);
        var unknown = await Attempts(unknownCard, wrong);
        var elsewhere = await Attempts(otherCommunitysCard, wrong);

        Assert.Equal(real, unknown);
        Assert.Equal(real, elsewhere);
        Assert.Equal([401, 401, 401, 401, 401, 403], real.Select(a => a.Status));
        Assert.Equal("wrong-card-or-pin", real[0].Code);
        Assert.Equal("card-locked", real[4].Code);
        Assert.Equal("card-locked", real[5].Code);
    }

    [Fact]
    public async Task RightPin_AfterAFewWrongOnes_SignsInAndStartsTheCountAgain()
    {
        var resident = service.Resident(0, 8);
        var card = resident.GetProperty("cardNumber").GetString();

        var wrong = await Attempts(card, WrongPin(resident), count: 4);
        using var right = await service.SendAsync(HttpMethod.Post, "/api/v1/kiosk/sessions", service.Kiosk(0), new { cardNumber = card, pin = resident.GetProperty("pin").GetString() });
        var again = await Attempts(card, WrongPin(resident), count: 4);

        Assert.All(wrong.Concat(again), a => Assert.Equal((401, "wrong-card-or-pin"), (a.Status, a.Code)));
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
    }

    [Fact]
    public async Task DeactivatedResident_RightPinIsRefusedPlainly_WithNoSession_WrongPinStillAnswersAsAnyWrongPin_AndReactivatedSignsIn()
    {
        var resident = service.Resident(0, 10);
        var id = resident.GetProperty("id").GetString();
        var card = resident.GetProperty("cardNumber").GetString();
        var pin = resident.GetProperty("pin").GetString();
        await SetStatus(id, "inactive");

        using var refused = await service.SendAsync(HttpMethod.Post, "/api/v1/kiosk/sessions", service.Kiosk(0), new { cardNumber = card, pin });
        var problem = await ProblemAssert.IsProblemAsync(refused, 403, "resident-inactive");
        Assert.Equal("该账户已停用, 请到社区服务台咨询", problem.GetProperty("messageZh").GetString());
        Assert.False(problem.TryGetProperty("token", out _));
        // Without the PIN nothing is learnt: the answer is that of any wrong PIN on any card.
        Assert.Equal([(401, "wrong-card-or-pin")], (await Attempts(card, WrongPin(resident), count: 1)).Select(a => (a.Status, a.Code)));

        await SetStatus(id, "active");
        using var signedIn = await service.SendAsync(HttpMethod.Post, "/api/v1/kiosk/sessions", service.Kiosk(0), new { cardNumber = card, pin });
        Assert.Equal(HttpStatusCode.Created, signedIn.StatusCode);
    }

    [Fact]
    public async Task ResidentDeactivatedWhileSignedIn_EveryNextCallSaysSo_AndReactivationDoesNotReviveTheSession()
    {
        var id = service.Resident(0, 11).GetProperty("id").GetString();
        var session = await service.SignInAsync(0, 11);
        using (var before = await service.SendAsync(HttpMethod.Get, $"/api/v1/residents/{id}", service.Kiosk(0), session: session))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await SetStatus(id, "inactive");
        foreach (var path in new[] { $"/api/v1/residents/{id}", "/api/v1/stores/east-mall/items", $"/api/v1/residents/{id}" })
        {
            using var refused = await service.SendAsync(HttpMethod.Get, path, service.Kiosk(0), session: session);
            await ProblemAssert.IsProblemAsync(refused, 403, "resident-inactive");
        }

        await SetStatus(id, "active");
        using var after = await service.SendAsync(HttpMethod.Get, $"/api/v1/residents/{id}", service.Kiosk(0), session: session);
        await ProblemAssert.IsProblemAsync(after, 403, "resident-inactive");
        var fresh = await service.SignInAsync(0, 11);
        using var again = await service.SendAsync(HttpMethod.Get, $"/api/v1/residents/{id}", service.Kiosk(0), session: fresh);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private async Task SetStatus(string? resident, string status)
    {
        using var response = await service.SendAsync(HttpMethod.Put, $"/api/v1/residents/{resident}/status", service.Staff(0), new { status });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string WrongPin(JsonElement resident) => resident.GetProperty("pin").GetString() == "000000" ? "111111" : "000000";

    // Everything a kiosk shows, minus the trace id (per request) and lockedUntil (the instant of each lock).
    private async Task<List<Answer>> Attempts(string? card, string pin, int count = 6)
    {
        var answers = new List<Answer>();
        for (var i = 0; i < count; i++)
        {
            using var response = await service.SendAsync(HttpMethod.Post, "/api/v1/kiosk/sessions", service.Kiosk(0), new { cardNumber = card, pin });
            var problem = await ProblemAssert.IsProblemAsync(response);
            var shown = string.Join("|", problem.EnumerateObject().Where(p => p.Name is not ("traceId" or "lockedUntil")).Select(p => $"{p.Name}={p.Value}"));
            answers.Add(new((int)response.StatusCode, problem.GetProperty("code").GetString()!, shown + (problem.TryGetProperty("lockedUntil", out _) ? "|lockedUntil" : string.Empty)));
        }

        return answers;
    }

    private sealed record Answer(int Status, string Code, string Shown);
}

using System.Net.Http.Json;
using System.Text.Json;
using Incentives.Ledger;
using Incentives.Mall;
using NodaTime;

namespace Incentives.Tests.Api;

/// <summary>
/// Regression tests for the findings of the ledger-integrity issue, each made through the running API as a sceptical
/// community administrator would. Each failed on the code before the fix. Tests that move the clock get a service of
/// their own.
/// </summary>
public sealed class LedgerIntegrityTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task ReversedAward_WhosePointsAReservationHolds_IsRefusedNamingTheReservation_SoTheGoodsAreNeverPaidWithReversedPoints()
    {
        var desk = new Desk(api);
        var resident = await desk.RegisterAsync();
        var award = await desk.AwardAsync(resident, "SAF-01", 1);
        var code = (await desk.ReserveAsync(resident, "RICE", 1)).GetProperty("pickupCode").GetString()!;

        var refused = await desk.PostAsync($"/api/v1/entries/{award.GetProperty("entryId").GetInt64()}/reversal", new { reason = "wrong resident" });

        Assert.Equal(409, (int)refused.Status);
        Assert.Equal("points-held", refused.Body.GetProperty("code").GetString());
        Assert.Equal([code], refused.Body.GetProperty("pickupCodes").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(200, (int)(await desk.PostAsync($"/api/v1/stores/east-mall/reservations/{code}/cancel", null)).Status);
        var reversed = await desk.PostAsync($"/api/v1/entries/{award.GetProperty("entryId").GetInt64()}/reversal", new { reason = "wrong resident" });
        Assert.Equal(201, (int)reversed.Status);
        Assert.Equal(-30, reversed.Body.GetProperty("points").GetInt64());
        Assert.Equal(409, (int)(await desk.PostAsync($"/api/v1/stores/east-mall/reservations/{code}/fulfil", null)).Status);
        Assert.Equal(new Balance(0, 0, 0, 0), api.Engine.GetBalance(new ResidentId(resident)));
    }

    [Fact]
    public async Task ReversalOfThe2027Award_TakesBackIts2027Lot_AndLeavesThe2026LotAlone()
    {
        using var own = new ApiFactory();
        var desk = new Desk(own);
        var resident = await desk.RegisterAsync();
        await desk.AwardAsync(resident, "FAM-04", 1);
        own.Clock.Reset(Instant.FromUtc(2027, 1, 5, 2, 0));
        var later = await desk.AwardAsync(resident, "SAF-01", 1);

        var reversed = await desk.PostAsync($"/api/v1/entries/{later.GetProperty("entryId").GetInt64()}/reversal", new { reason = "recorded twice" });

        Assert.Equal(201, (int)reversed.Status);
        var lots = own.Engine.GetLots(new ResidentId(resident));
        Assert.Equal([(2L, 2027), (0L, 2028)], lots.Select(l => (l.Remaining, l.ExpiresAt!.Value.InUtc().Year)));
        Assert.Contains("自原批次扣回 30", reversed.Body.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StockReceipt_SentTwiceWithOneIdempotencyKey_CountsOnceAndTheRetryIsMarkedReplayed()
    {
        var desk = new Desk(api);
        var before = api.Engine.GetItems(new StoreId("east-mall")).Single(i => i.Definition.Sku == "EGGS").Stock;
        var body = new { kind = "receive", quantity = 10, reason = "delivery 4711" };

        var first = await desk.PostAsync("/api/v1/stores/east-mall/items/EGGS/stock", body, "delivery-4711");
        var retry = await desk.PostAsync("/api/v1/stores/east-mall/items/EGGS/stock", body, "delivery-4711");

        Assert.Equal((200, 200), ((int)first.Status, (int)retry.Status));
        Assert.Equal(("false", "true"), (first.Replayed, retry.Replayed));
        Assert.Equal(first.Text, retry.Text);
        Assert.Equal(before + 10, api.Engine.GetItems(new StoreId("east-mall")).Single(i => i.Definition.Sku == "EGGS").Stock);
    }

    [Fact]
    public async Task ResidentRegistration_SentTwiceWithOneIdempotencyKey_RegistersOneResident()
    {
        var desk = new Desk(api);
        var body = new { displayName = "重试居民" };

        var first = await desk.PostAsync("/api/v1/communities/east/residents", body, "register-retry");
        var retry = await desk.PostAsync("/api/v1/communities/east/residents", body, "register-retry");
        var other = await desk.PostAsync("/api/v1/communities/east/residents", new { displayName = "别的居民" }, "register-retry");

        Assert.Equal((201, 201, 409), ((int)first.Status, (int)retry.Status, (int)other.Status));
        Assert.Equal(first.Text, retry.Text);
        Assert.Single(api.Engine.FindResidents(new CommunityId("east"), "重试居民"));
    }

    [Fact]
    public async Task DeductionLargerThanTheBalance_AnswersWhatWasAppliedAndTheUncoveredRemainder_InTheResponseAndTheStatement()
    {
        var desk = new Desk(api);
        var resident = await desk.RegisterAsync();
        await desk.AwardAsync(resident, "FAM-04", 1);
        await desk.AwardAsync(resident, "FAM-02", 1);

        var deduction = await desk.AwardAsync(resident, "SAF-04", 1);

        Assert.Equal((-3, 7), (deduction.GetProperty("awarded").GetInt64(), deduction.GetProperty("uncovered").GetInt64()));
        Assert.Contains("可用余额仅 3, 实扣 −3, 未扣 7", deduction.GetProperty("explanationText").GetString(), StringComparison.Ordinal);
        var line = (await desk.GetAsync($"/api/v1/residents/{resident}/statement?pageSize=1")).GetProperty("items")[0];
        Assert.Equal((-3, 7), (line.GetProperty("points").GetInt64(), line.GetProperty("uncovered").GetInt64()));
        Assert.Contains("未扣 7", line.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReversalOfARedemption_Is409NamingTheReservation_AndChangesNothing()
    {
        var desk = new Desk(api);
        var resident = await desk.RegisterAsync();
        await desk.AwardAsync(resident, "SAF-01", 1);
        var code = (await desk.ReserveAsync(resident, "TOWEL", 1)).GetProperty("pickupCode").GetString()!;
        await desk.PostAsync($"/api/v1/stores/east-mall/reservations/{code}/fulfil", null);
        var redemption = (await desk.GetAsync($"/api/v1/residents/{resident}/statement?kind=redemption")).GetProperty("items")[0].GetProperty("entryId").GetInt64();
        var stock = api.Engine.GetItems(new StoreId("east-mall")).Single(i => i.Definition.Sku == "TOWEL");
        var balance = api.Engine.GetBalance(new ResidentId(resident));

        var refused = await desk.PostAsync($"/api/v1/entries/{redemption}/reversal", new { reason = "goods returned" });

        Assert.Equal(409, (int)refused.Status);
        Assert.Equal("not-reversible", refused.Body.GetProperty("code").GetString());
        Assert.Equal([code], refused.Body.GetProperty("pickupCodes").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(ReservationStatus.Fulfilled, api.Engine.GetReservation(new StoreId("east-mall"), code)!.Status);
        Assert.Equal(stock, api.Engine.GetItems(new StoreId("east-mall")).Single(i => i.Definition.Sku == "TOWEL"));
        Assert.Equal(balance, api.Engine.GetBalance(new ResidentId(resident)));
    }

    [Fact]
    public async Task KioskKey_EvenWithTheResidentSignedIn_CannotFulfilAReservationOrTakeBackALoan()
    {
        var desk = new Desk(api);
        var resident = api.Resident(0, 3).GetProperty("id").GetString()!;
        var code = (await desk.ReserveAsync(resident, "NOODLES", 1)).GetProperty("pickupCode").GetString()!;
        using var bare = api.As(api.Kiosk(0));
        using var signedIn = api.As(api.Kiosk(0), await api.SignIn(0, 3));

        var statuses = new List<int>();
        foreach (var client in new[] { bare, signedIn })
        {
            foreach (var act in new[] { "fulfil", "return" })
            {
                statuses.Add((int)(await client.PostAsync($"/api/v1/stores/east-mall/reservations/{code}/{act}", null)).StatusCode);
            }
        }

        Assert.Equal([403, 403, 403, 403], statuses);
        Assert.Equal(ReservationStatus.Open, api.Engine.GetReservation(new StoreId("east-mall"), code)!.Status);
    }

    [Fact]
    public async Task VolunteerHours_BeyondTwelveOnOneLocalDay_AreRefusedWithTheDaysTotal_AndStarsCountOnlyAcceptedHours()
    {
        var desk = new Desk(api);
        var resident = await desk.RegisterAsync();
        await desk.AwardAsync(resident, "VOL-01", 12);

        var refused = new List<Reply>();
        for (var i = 0; i < 4; i++)
        {
            refused.Add(await desk.PostAsync("/api/v1/awards", new { residentId = resident, indicator = "VOL-01", quantity = 12 }, Desk.NextKey()));
        }

        Assert.All(refused, r =>
        {
            Assert.Equal(422, (int)r.Status);
            Assert.Equal(("daily-hours-exceeded", 12m, 12m), (r.Body.GetProperty("code").GetString(), r.Body.GetProperty("hoursToday").GetDecimal(), r.Body.GetProperty("hoursLimit").GetDecimal()));
            Assert.Contains("已登记志愿服务 12 小时", r.Body.GetProperty("explanation").GetProperty("explanationText").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(12m, api.Engine.GetVolunteerStanding(new ResidentId(resident))!.Hours);
    }

    [Fact]
    public async Task RepeatOffence_EighteenMonthsAfterAnOffenceWhoseCreditCountsTwoYears_IsDoubled()
    {
        using var own = new ApiFactory();
        var desk = new Desk(own);
        var resident = await desk.RegisterAsync();
        var first = await desk.AwardAsync(resident, "FAM-05", 1);
        own.Clock.Advance(Duration.FromDays(548));

        var second = await desk.AwardAsync(resident, "FAM-05", 1);

        Assert.Equal((-20, -50), (first.GetProperty("requested").GetInt64(), first.GetProperty("creditDelta").GetInt32()));
        Assert.Equal((-40, -100), (second.GetProperty("requested").GetInt64(), second.GetProperty("creditDelta").GetInt32()));
        Assert.Contains("有效期内重复 (同类违规 2026-11-23) ×2", second.GetProperty("explanationText").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatOffence_RecordedLateWithAnEarlierDate_IsTheOneDoubled_SoExactlyOneOfTheTwoIs()
    {
        var desk = new Desk(api);
        var resident = await desk.RegisterAsync();
        var now = api.Clock.GetCurrentInstant();

        var posted = await desk.AwardAsync(resident, "CIV-05", 1);
        var backDated = await desk.PostAsync("/api/v1/awards", new { residentId = resident, indicator = "CIV-05", quantity = 1, occurredAt = (now - Duration.FromDays(10)).ToString() }, Desk.NextKey());

        Assert.Equal((-5, -10), (posted.GetProperty("requested").GetInt64(), backDated.Body.GetProperty("requested").GetInt64()));
        Assert.Contains("有效期内重复 (同类违规 2026-11-23) ×2", backDated.Body.GetProperty("explanationText").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneActRecordedUnderTwoIndicators_CountsOnceAtTheHighestValue_AndEachExplanationNamesTheStandingRecord()
    {
        var desk = new Desk(api);
        var resident = await desk.RegisterAsync();

        var higher = await desk.AwardAsync(resident, "ENV-02", 1, "clean-up-2026-11-23");
        var lower = await desk.AwardAsync(resident, "CIV-03", 1, "clean-up-2026-11-23");
        var cheap = await desk.AwardAsync(resident, "FAM-02", 1, "meeting-hall");
        var dearer = await desk.AwardAsync(resident, "GOV-01", 1, "meeting-hall");

        Assert.Equal([3L, 0L, 1L, 2L], new[] { higher, lower, cheap, dearer }.Select(x => x.GetProperty("awarded").GetInt64()));
        Assert.Contains($"同一行为已按 #{higher.GetProperty("entryId").GetInt64()} ENV-02 计 3 分, 就高计分, 仍以 #{higher.GetProperty("entryId").GetInt64()} ENV-02 为准 → 0",
            lower.GetProperty("explanationText").GetString(), StringComparison.Ordinal);
        Assert.Contains("本条为准, 补 2", dearer.GetProperty("explanationText").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, api.Engine.GetBalance(new ResidentId(resident))!.Available);
    }

    [Fact]
    public async Task Deduction_ForAChildRegisteredWithABirthYear_Is422MinorResident_AndTheFirstDogOffenceIsAWarning()
    {
        var desk = new Desk(api);
        var child = await desk.PostAsync("/api/v1/communities/east/residents", new { displayName = "小明", birthYear = 2015 }, Desk.NextKey());
        Assert.Equal(201, (int)child.Status);

        var refused = await desk.PostAsync("/api/v1/awards", new { residentId = child.Body.GetProperty("id").GetString(), indicator = "CIV-05", quantity = 1 }, Desk.NextKey());

        Assert.Equal(422, (int)refused.Status);
        Assert.EndsWith("minor-resident", refused.Body.GetProperty("type").GetString(), StringComparison.Ordinal);

        var adult = await desk.RegisterAsync();
        var warning = await desk.AwardAsync(adult, "CIV-04", 1);
        Assert.Equal(0, warning.GetProperty("awarded").GetInt64());
        Assert.True(warning.GetProperty("warning").GetBoolean());
        Assert.Contains("予以警告", warning.GetProperty("explanationText").GetString(), StringComparison.Ordinal);
        var badYear = await desk.PostAsync("/api/v1/communities/east/residents", new { displayName = "张三", birthYear = 1850 }, Desk.NextKey());
        Assert.Equal(400, (int)badYear.Status);
        Assert.Contains("birthYear", badYear.Text, StringComparison.Ordinal);
    }

    /// <summary>A staff member of community east at the desk, through the API.</summary>
    private sealed class Desk(ApiFactory api)
    {
        private static int _keys;

        public static string NextKey() => "integrity-" + Interlocked.Increment(ref _keys);

        public async Task<string> RegisterAsync()
        {
            var reply = await PostAsync("/api/v1/communities/east/residents", new { displayName = "测试居民" }, NextKey());
            Assert.Equal(201, (int)reply.Status);
            return reply.Body.GetProperty("id").GetString()!;
        }

        /// <summary>Records behaviour; a record that enters the governance loop (awards ≥ 10, deductions) is walked to
        /// confirmation today — approved by admin, objected to and confirmed by admin — and answered as its statement
        /// line (entryId, awarded, uncovered, explanationText), as a posted record is.</summary>
        public async Task<JsonElement> AwardAsync(string resident, string indicator, decimal quantity, string? act = null)
        {
            var reply = await PostAsync("/api/v1/awards", new { residentId = resident, indicator, quantity, actId = act }, NextKey());
            Assert.True((int)reply.Status == 201, reply.Text);
            if (!reply.Body.TryGetProperty("recordId", out var recordId) || recordId.ValueKind != JsonValueKind.Number)
            {
                return reply.Body;
            }

            var id = recordId.GetInt64();
            if (reply.Body.GetProperty("status").GetString() == "submitted")
            {
                Assert.Equal(200, (int)(await PostAsync($"/api/v1/records/{id}/approval", null, NextKey(), api.Admin)).Status);
            }

            Assert.Equal(200, (int)(await PostAsync($"/api/v1/records/{id}/objections", new { reason = "checked at the desk" }, NextKey())).Status);
            var confirmed = await PostAsync($"/api/v1/records/{id}/decision", new { confirm = true, reason = "confirmed" }, NextKey(), api.Admin);
            Assert.True((int)confirmed.Status == 200, confirmed.Text);
            var entry = confirmed.Body.GetProperty("entryId").GetInt64();
            var line = (await GetAsync($"/api/v1/residents/{resident}/statement?pageSize=50")).GetProperty("items").EnumerateArray()
                .Single(i => i.GetProperty("entryId").GetInt64() == entry);
            var answer = System.Text.Json.Nodes.JsonNode.Parse(reply.Text)!.AsObject();
            answer["entryId"] = entry;
            answer["awarded"] = line.GetProperty("points").GetInt64();
            answer["uncovered"] = line.GetProperty("uncovered").GetInt64();
            answer["explanationText"] = line.GetProperty("explanation").GetString();
            return JsonSerializer.SerializeToElement(answer);
        }

        public async Task<JsonElement> ReserveAsync(string resident, string sku, int quantity)
        {
            var reply = await PostAsync("/api/v1/stores/east-mall/reservations", new { residentId = resident, lines = new[] { new { sku, quantity } } }, NextKey());
            Assert.True((int)reply.Status == 201, reply.Text);
            return reply.Body;
        }

        public async Task<JsonElement> GetAsync(string path)
        {
            using var client = api.As(api.Staff(0));
            return await client.GetFromJsonAsync<JsonElement>(path);
        }

        public async Task<Reply> PostAsync(string path, object? body, string? key = null, string? caller = null)
        {
            using var client = api.As(caller ?? api.Staff(0));
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) ? values.Single() : null;
            return new Reply(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), text, replayed);
        }
    }

    private sealed record Reply(System.Net.HttpStatusCode Status, JsonElement Body, string Text, string? Replayed);
}

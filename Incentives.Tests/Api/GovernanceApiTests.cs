using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;

namespace Incentives.Tests.Api;

/// <summary>The governance loop through the API (docs/governance.md): records made with the community's system key,
/// reviewed and decided with the admin key (staff members with roles are covered by the staff-session tests).</summary>
public sealed class GovernanceApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static int _keys;

    [Fact]
    public async Task Submit_approve_object_and_void_through_the_api_leaves_the_residents_balance_and_credit_unchanged()
    {
        var resident = api.Resident(0, 19).GetProperty("id").GetString()!;
        await Post(api.Admin, $"/api/v1/residents/{resident}/consent", null);
        var before = await Get(api.Admin, $"/api/v1/residents/{resident}");

        var submitted = await Post(api.Staff(0), "/api/v1/awards", new { residentId = resident, indicator = "SAF-01", quantity = 1 });
        Assert.Equal(201, submitted.Status);
        Assert.Equal("submitted", submitted.Body.GetProperty("status").GetString());
        var id = submitted.Body.GetProperty("recordId").GetInt64();

        var bySystemKey = await Post(api.Staff(0), $"/api/v1/records/{id}/approval", null);
        Assert.Equal(403, bySystemKey.Status);
        var approved = await Post(api.Admin, $"/api/v1/records/{id}/approval", null);
        Assert.Equal("pending", approved.Body.GetProperty("status").GetString());
        Assert.Equal(30, (await Get(api.Admin, $"/api/v1/residents/{resident}")).GetProperty("balance").GetProperty("pending").GetInt64());

        var objected = await Post(api.Staff(0), $"/api/v1/records/{id}/objections", new { reason = "目击者称当天不在场" });
        Assert.Equal("objected", objected.Body.GetProperty("status").GetString());
        var voided = await Post(api.Admin, $"/api/v1/records/{id}/decision", new { confirm = false, reason = "异议成立" });

        Assert.Equal("voided", voided.Body.GetProperty("status").GetString());
        var after = await Get(api.Admin, $"/api/v1/residents/{resident}");
        Assert.Equal(before.GetProperty("balance").GetRawText(), after.GetProperty("balance").GetRawText());
        Assert.Equal(before.GetProperty("credit").GetRawText(), after.GetProperty("credit").GetRawText());
    }

    [Fact]
    public async Task A_record_submitted_and_approved_by_the_same_key_is_refused_as_self_approval()
    {
        var resident = api.Resident(0, 20).GetProperty("id").GetString()!;
        var submitted = await Post(api.Admin, "/api/v1/awards", new { residentId = resident, indicator = "GOV-02", quantity = 1 });

        var self = await Post(api.Admin, $"/api/v1/records/{submitted.Body.GetProperty("recordId").GetInt64()}/approval", null);

        Assert.Equal(403, self.Status);
        Assert.Equal("self-approval", self.Body.GetProperty("code").GetString());
        Assert.Contains("另一人", self.Body.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_posting_is_confirmed_at_its_end_instant_and_its_points_then_count()
    {
        var resident = api.Resident(0, 21).GetProperty("id").GetString()!;
        var available = (await Get(api.Admin, $"/api/v1/residents/{resident}")).GetProperty("balance").GetProperty("available").GetInt64();
        var id = (await Post(api.Staff(0), "/api/v1/awards", new { residentId = resident, indicator = "GOV-02", quantity = 1 })).Body.GetProperty("recordId").GetInt64();
        var approved = await Post(api.Admin, $"/api/v1/records/{id}/approval", null);
        var ends = approved.Body.GetProperty("postingEndsAt").GetString()!;
        var end = NodaTime.Text.InstantPattern.ExtendedIso.Parse(ends).Value;

        api.Clock.Reset(end - Duration.FromSeconds(1));
        await api.Engine.RunDueWorkAsync();
        Assert.Equal("pending", (await Get(api.Admin, $"/api/v1/records/{id}")).GetProperty("status").GetString());
        Assert.Contains((await Get(null, "/api/v1/board/east")).GetProperty("items").EnumerateArray(), i => i.GetProperty("indicator").GetString() == "GOV-02");

        api.Clock.Reset(end);
        await api.Engine.RunDueWorkAsync();

        Assert.Equal("confirmed", (await Get(api.Admin, $"/api/v1/records/{id}")).GetProperty("status").GetString());
        Assert.Equal(available + 10, (await Get(api.Admin, $"/api/v1/residents/{resident}")).GetProperty("balance").GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task An_appealed_credit_record_stops_counting_and_a_reduction_counts_the_smaller_delta()
    {
        var resident = api.Resident(0, 22).GetProperty("id").GetString()!;
        await Post(api.Admin, $"/api/v1/residents/{resident}/consent", null);
        var score = await Score(resident);
        var record = await Post(api.Admin, $"/api/v1/residents/{resident}/credit-records", new { delta = -40, reason = "court determination", document = "DOC-7" });
        Assert.Equal(score - 40, await Score(resident));

        var appeal = await Post(api.Staff(0), $"/api/v1/residents/{resident}/appeals", new { creditRecordId = record.Body.GetProperty("id").GetInt64(), reason = "已履行判决" });
        Assert.Equal(201, appeal.Status);
        Assert.Equal(score, await Score(resident));
        Assert.Contains((await Get(api.Admin, "/api/v1/communities/east/appeals")).EnumerateArray(), a => a.GetProperty("id").GetInt64() == appeal.Body.GetProperty("id").GetInt64());

        var reduced = await Post(api.Admin, $"/api/v1/appeals/{appeal.Body.GetProperty("id").GetInt64()}/decision", new { outcome = "reduced", reducedTo = 10, reason = "部分履行" });

        Assert.Equal("reduced", reduced.Body.GetProperty("status").GetString());
        Assert.Equal(score - 10, await Score(resident));
    }

    [Fact]
    public async Task A_confirmed_deduction_appealed_through_the_api_stops_counting_and_is_reduced()
    {
        var resident = api.Resident(0, 24).GetProperty("id").GetString()!;
        await Post(api.Admin, $"/api/v1/residents/{resident}/consent", null);
        var id = (await Post(api.Staff(0), "/api/v1/awards", new { residentId = resident, indicator = "ENV-04", quantity = 1 })).Body.GetProperty("recordId").GetInt64();
        var ends = (await Post(api.Admin, $"/api/v1/records/{id}/approval", null)).Body.GetProperty("postingEndsAt").GetString()!;
        var score = await Score(resident);
        var available = (await Get(api.Admin, $"/api/v1/residents/{resident}")).GetProperty("balance").GetProperty("available").GetInt64();

        var end = NodaTime.Text.InstantPattern.ExtendedIso.Parse(ends).Value;
        if (api.Clock.GetCurrentInstant() < end)
        {
            api.Clock.Reset(end);
        }

        await api.Engine.RunDueWorkAsync();
        var entry = (await Get(api.Admin, $"/api/v1/records/{id}")).GetProperty("entryId").GetInt64();
        Assert.Equal(score - 5, await Score(resident));

        var appeal = await Post(api.Staff(0), $"/api/v1/residents/{resident}/appeals", new { entryId = entry, reason = "垃圾并非本人所弃" });
        Assert.Equal(201, appeal.Status);
        Assert.Equal(score, await Score(resident));

        var reduced = await Post(api.Admin, $"/api/v1/appeals/{appeal.Body.GetProperty("id").GetInt64()}/decision", new { outcome = "reduced", reducedTo = 2, reason = "情节轻微" });

        Assert.Equal("reduced", reduced.Body.GetProperty("status").GetString());
        Assert.Equal(score - 2, await Score(resident));
        Assert.Equal(available - 2, (await Get(api.Admin, $"/api/v1/residents/{resident}")).GetProperty("balance").GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task The_public_board_needs_no_key_and_names_nobody()
    {
        var board = await Get(null, "/api/v1/board/east");
        var text = board.GetRawText();

        Assert.NotEmpty(board.GetProperty("items").EnumerateArray());
        foreach (var r in api.Community(0).GetProperty("residents").EnumerateArray())
        {
            Assert.DoesNotContain(r.GetProperty("id").GetString()!, text, StringComparison.Ordinal);
            Assert.DoesNotContain(r.GetProperty("idNumber").GetString()!, text, StringComparison.Ordinal);
            Assert.DoesNotContain(r.GetProperty("cardNumber").GetString()!, text, StringComparison.Ordinal);
            var name = api.Engine.GetResident(new Incentives.Ledger.ResidentId(r.GetProperty("id").GetString()!))!.DisplayName;
            Assert.DoesNotContain(name, text, StringComparison.Ordinal);
        }

        Assert.All(board.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("recordId").ValueKind));
    }

    [Fact]
    public async Task Warning_first_then_a_deduction_and_a_minors_deduction_refused_through_the_api()
    {
        var resident = api.Resident(0, 23).GetProperty("id").GetString()!;
        var warning = await Post(api.Staff(0), "/api/v1/awards", new { residentId = resident, indicator = "CIV-04", quantity = 1 });
        Assert.Equal(("posted", true), (warning.Body.GetProperty("status").GetString(), warning.Body.GetProperty("warning").GetBoolean()));
        var deduction = await Post(api.Staff(0), "/api/v1/awards", new { residentId = resident, indicator = "CIV-04", quantity = 1 });
        Assert.Equal(("submitted", -10L), (deduction.Body.GetProperty("status").GetString(), deduction.Body.GetProperty("requested").GetInt64()));

        var minor = await Post(api.Staff(0), "/api/v1/communities/east/residents", new { displayName = "小明", birthYear = 2016 });
        var refused = await Post(api.Staff(0), "/api/v1/awards", new { residentId = minor.Body.GetProperty("id").GetString(), indicator = "CIV-05", quantity = 1 });
        Assert.Equal(422, refused.Status);
        Assert.Equal("minor-resident", refused.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_recorder_past_the_daily_budget_is_refused_with_what_is_left()
    {
        // 500 points a day per recorder (rules/catalog.json): 16 bravery awards of 30 leave 20.
        var residents = api.Community(1).GetProperty("residents").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(201, (await Post(api.Staff(1), "/api/v1/awards", new { residentId = residents[i], indicator = "SAF-01", quantity = 1 })).Status);
        }

        var over = await Post(api.Staff(1), "/api/v1/awards", new { residentId = residents[16], indicator = "SAF-01", quantity = 1 });

        Assert.Equal(422, over.Status);
        Assert.Equal("budget-exceeded", over.Body.GetProperty("code").GetString());
        Assert.Equal(20, over.Body.GetProperty("left").GetInt64());
    }

    [Fact]
    public async Task A_resident_objecting_at_a_kiosk_learns_no_more_of_the_neighbour_than_the_board_shows()
    {
        var neighbour = api.Resident(0, 17).GetProperty("id").GetString()!;
        var id = (await Post(api.Staff(0), "/api/v1/awards", new { residentId = neighbour, indicator = "GOV-02", quantity = 1 })).Body.GetProperty("recordId").GetInt64();
        await Post(api.Admin, $"/api/v1/records/{id}/approval", null);
        var session = await api.SignIn(0, 0);

        using var kiosk = api.As(api.Kiosk(0), session);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/records/{id}/objections") { Content = JsonContent.Create(new { reason = "没见过他开会" }) };
        request.Headers.Add("Idempotency-Key", "gov-kiosk-object");
        using var response = await kiosk.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        var name = api.Engine.GetResident(new Incentives.Ledger.ResidentId(neighbour))!.DisplayName;
        Assert.DoesNotContain(neighbour, text, StringComparison.Ordinal);
        Assert.DoesNotContain(name, text, StringComparison.Ordinal);
        Assert.Equal("objected", JsonDocument.Parse(text).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_rejection_or_objection_without_a_body_is_refused_naming_the_reason()
    {
        var resident = api.Resident(0, 16).GetProperty("id").GetString()!;
        var id = (await Post(api.Staff(0), "/api/v1/awards", new { residentId = resident, indicator = "GOV-02", quantity = 1 })).Body.GetProperty("recordId").GetInt64();

        var rejection = await Post(api.Admin, $"/api/v1/records/{id}/rejection", null);
        var tooLong = await Post(api.Admin, $"/api/v1/records/{id}/rejection", new { reason = new string('长', 501) });

        Assert.Equal((400, "reason"), (rejection.Status, rejection.Body.GetProperty("field").GetString()));
        Assert.Equal((400, "reason"), (tooLong.Status, tooLong.Body.GetProperty("field").GetString()));
        Assert.Equal("submitted", (await Get(api.Admin, $"/api/v1/records/{id}")).GetProperty("status").GetString());
    }

    private async Task<long> Score(string resident) => (await Get(api.Admin, $"/api/v1/credit/{resident}")).GetProperty("score").GetInt64();

    private async Task<JsonElement> Get(string? key, string path)
    {
        using var client = api.As(key);
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(int Status, JsonElement Body)> Post(string key, string path, object? body)
    {
        using var client = api.As(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", "gov-" + Interlocked.Increment(ref _keys));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

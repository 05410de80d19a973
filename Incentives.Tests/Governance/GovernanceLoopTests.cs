using Incentives.Catalog;
using Incentives.Governance;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Governance;

/// <summary>The loop of docs/governance.md through the library, on the repository's rules (approval and a 3-day
/// posting for awards of 10 or more and every deduction).</summary>
public sealed class GovernanceLoopTests : IDisposable
{
    private readonly TestEngine _t = TestEngine.Create();

    public void Dispose() => _t.Dispose();

    private AwardRequest Record(ResidentId r, string indicator, decimal quantity, string by = "rec-1", string? key = null) =>
        new(r, new IndicatorCode(indicator), quantity, by, key ?? _t.NextKey());

    private ReviewRequest Review(long id, string by, string? reason = null) => new(id, by, _t.NextKey(), reason);

    [Fact]
    public async Task Submitted_approved_posted_objected_and_voided_leaves_balance_caps_and_credit_as_before()
    {
        var r = _t.NewResident();
        _t.Consent(r);
        var before = _t.Engine.GetBalance(r)!;
        var creditBefore = _t.Standing(r);
        var previewBefore = _t.Preview(r, "SAF-01", 1);

        var submitted = (await _t.Engine.SubmitAsync(Record(r, "SAF-01", 1))).Value!.Record!;
        Assert.Equal(RecordStatus.Submitted, submitted.Status);
        Assert.Equal(30, _t.Engine.GetBalance(r)!.Submitted);
        Assert.Equal(before.Available, _t.Engine.GetBalance(r)!.Available);

        var self = await _t.Engine.ApproveAsync(Review(submitted.Id, "rec-1"));
        Assert.Equal(RefusalCode.SelfApproval, self.Refusal!.Code);

        var pending = (await _t.Engine.ApproveAsync(Review(submitted.Id, "rev-1"))).Value!;
        Assert.Equal(RecordStatus.Pending, pending.Status);
        var during = _t.Engine.GetBalance(r)!;
        Assert.Equal((before.Available, 30L, 0L), (during.Available, during.Pending, during.Submitted));
        Assert.Equal(creditBefore.Score, _t.Standing(r).Score);

        var objected = (await _t.Engine.ObjectAsync(new ObjectionRequest(pending.Id, r.Value, "I was not there that day", _t.NextKey()))).Value!;
        Assert.Equal(RecordStatus.Objected, objected.Status);

        // An objected record is not confirmed by the end of its posting.
        _t.Clock.AdvanceDays(4);
        Assert.Equal(0, (await _t.Engine.RunDueWorkAsync()).ConfirmedPostings);
        Assert.Equal(RecordStatus.Objected, _t.Engine.GetGovernanceRecord(pending.Id)!.Status);

        var voided = (await _t.Engine.DecideObjectionAsync(new ObjectionDecisionRequest(pending.Id, Confirm: false, "objection upheld: wrong person", "mgr-1", _t.NextKey()))).Value!;

        Assert.Equal(RecordStatus.Voided, voided.Status);
        var after = _t.Engine.GetBalance(r)!;
        Assert.Equal((before.Available, before.Pending, before.Submitted, before.LifetimeEarned), (after.Available, after.Pending, after.Submitted, after.LifetimeEarned));
        Assert.Equal(creditBefore.Score, _t.Standing(r).Score);
        Assert.Equal(previewBefore.Awarded, _t.Preview(r, "SAF-01", 1).Awarded);
        Assert.Equal([GovernanceStepKind.Submitted, GovernanceStepKind.Approved, GovernanceStepKind.Posted, GovernanceStepKind.Objected, GovernanceStepKind.Voided],
            voided.Steps.Select(s => s.Kind));
        Assert.True(_t.Engine.VerifyChain(r).Valid);
        Assert.True(_t.Engine.Verify().Valid);
    }

    [Fact]
    public async Task A_posting_is_confirmed_by_due_work_exactly_at_its_end_instant_and_once()
    {
        var r = _t.NewResident();
        var record = (await _t.Engine.SubmitAsync(Record(r, "GOV-02", 1))).Value!.Record!;
        var approvedAt = _t.Clock.GetCurrentInstant();
        var pending = (await _t.Engine.ApproveAsync(Review(record.Id, "rev-1"))).Value!;

        var zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var end = approvedAt.InZone(zone).LocalDateTime.PlusDays(3).InZoneStrictly(zone).ToInstant();
        Assert.Equal(end, pending.PostingEndsAt);

        Assert.Contains("公示至", _t.Engine.GetEntry(pending.Entry!.Value)!.Explain(), StringComparison.Ordinal);

        _t.Clock.Reset(end - Duration.FromSeconds(1));
        Assert.Equal(0, (await _t.Engine.RunDueWorkAsync()).ConfirmedPostings);
        Assert.Equal(10, _t.Engine.GetBalance(r)!.Pending);
        Assert.Equal(0, _t.Engine.GetBalance(r)!.Available);

        _t.Clock.Reset(end);
        Assert.Equal(1, (await _t.Engine.RunDueWorkAsync()).ConfirmedPostings);
        Assert.Equal(0, (await _t.Engine.RunDueWorkAsync()).ConfirmedPostings);

        var confirmed = _t.Engine.GetGovernanceRecord(record.Id)!;
        Assert.Equal(RecordStatus.Confirmed, confirmed.Status);
        Assert.Equal(end, confirmed.Steps[^1].At);
        var balance = _t.Engine.GetBalance(r)!;
        Assert.Equal((10L, 0L, 10L), (balance.Available, balance.Pending, balance.LifetimeEarned));
        Assert.True(_t.Engine.VerifyChain(r).Valid);
    }

    [Fact]
    public async Task A_deduction_under_appeal_stops_counting_toward_credit_and_a_reduction_gives_the_difference_back()
    {
        var r = _t.NewResident();
        _t.Consent(r);
        _t.Adjust(r, 50);
        var record = (await _t.Engine.SubmitAsync(Record(r, "CIV-05", 1))).Value!.Record!;
        await _t.Engine.ApproveAsync(Review(record.Id, "rev-1"));
        Assert.Equal(1000, _t.Standing(r).Score);
        Assert.Equal(50, _t.Engine.GetBalance(r)!.Available);

        _t.Clock.AdvanceDays(3);
        await _t.Engine.RunDueWorkAsync();
        var deduction = _t.Engine.GetGovernanceRecord(record.Id)!.Entry!.Value;
        Assert.Equal(995, _t.Standing(r).Score);
        Assert.Equal(45, _t.Engine.GetBalance(r)!.Available);

        _t.Clock.AdvanceDays(2);
        var appeal = (await _t.Engine.AppealAsync(new AppealRequest(r, deduction.Value, null, "the car was not mine", r.Value, _t.NextKey()))).Value!;
        Assert.Equal(AppealStatus.Open, appeal.Status);
        Assert.Equal(1000, _t.Standing(r).Score);
        Assert.Equal(45, _t.Engine.GetBalance(r)!.Available);
        Assert.Equal(RefusalCode.InvalidState, _t.Reverse(deduction).Refusal!.Code);

        _t.Clock.AdvanceDays(1);
        var decided = (await _t.Engine.DecideAppealAsync(new AppealDecisionRequest(appeal.Id, AppealStatus.Reduced, "parked briefly to unload", "mgr-1", _t.NextKey(), ReducedTo: 2))).Value!;

        Assert.Equal(AppealStatus.Reduced, decided.Status);
        Assert.Equal(998, _t.Standing(r).Score);
        Assert.Equal(48, _t.Engine.GetBalance(r)!.Available);
        var decision = _t.Engine.GetEntry(decided.DecisionEntry!.Value)!;
        Assert.Equal((EntryKind.AppealDecision, 3L, deduction), (decision.Kind, decision.Points, decision.Regarding!.Value));
        Assert.True(_t.Engine.VerifyChain(r).Valid);
    }

    [Fact]
    public async Task An_appeal_after_the_appeal_period_is_refused()
    {
        var r = _t.NewResident();
        _t.Adjust(r, 20);
        var record = (await _t.Engine.SubmitAsync(Record(r, "ENV-04", 1))).Value!.Record!;
        await _t.Engine.ApproveAsync(Review(record.Id, "rev-1"));
        _t.Clock.AdvanceDays(3);
        await _t.Engine.RunDueWorkAsync();
        var entry = _t.Engine.GetGovernanceRecord(record.Id)!.Entry!.Value;

        _t.Clock.AdvanceDays(8);
        var late = await _t.Engine.AppealAsync(new AppealRequest(r, entry.Value, null, "late", r.Value, _t.NextKey()));

        Assert.Equal(RefusalCode.AppealPeriodOver, late.Refusal!.Code);
    }

    [Fact]
    public async Task A_voided_appeal_reverses_the_deduction_and_cancels_its_credit_record()
    {
        var r = _t.NewResident();
        _t.Consent(r);
        _t.Adjust(r, 20);
        var record = (await _t.Engine.SubmitAsync(Record(r, "ENV-04", 1))).Value!.Record!;
        await _t.Engine.ApproveAsync(Review(record.Id, "rev-1"));
        _t.Clock.AdvanceDays(3);
        await _t.Engine.RunDueWorkAsync();
        var entry = _t.Engine.GetGovernanceRecord(record.Id)!.Entry!.Value;
        var appeal = (await _t.Engine.AppealAsync(new AppealRequest(r, entry.Value, null, "not me", "rec-2", _t.NextKey()))).Value!;

        var decided = (await _t.Engine.DecideAppealAsync(new AppealDecisionRequest(appeal.Id, AppealStatus.Voided, "camera shows a neighbour", "mgr-1", _t.NextKey()))).Value!;

        Assert.Equal(AppealStatus.Voided, decided.Status);
        Assert.Equal(20, _t.Engine.GetBalance(r)!.Available);
        Assert.Equal(1000, _t.Standing(r).Score);
        Assert.Equal(EntryKind.Reversal, _t.Engine.GetEntry(decided.DecisionEntry!.Value)!.Kind);
    }

    [Fact]
    public async Task A_record_beyond_the_recorders_daily_budget_is_refused_with_what_is_left()
    {
        var dir = Repo.CopyRules();
        try
        {
            var file = Path.Combine(dir, "catalog.json");
            File.WriteAllText(file, File.ReadAllText(file).Replace("\"staffDailyBudget\": 500", "\"staffDailyBudget\": 20", StringComparison.Ordinal));
            using var t = TestEngine.Create(rules: dir);
            var first = await t.Engine.SubmitAsync(new AwardRequest(t.NewResident(), new IndicatorCode("VOL-01"), 8, "rec-1", "b1"));
            var second = await t.Engine.SubmitAsync(new AwardRequest(t.NewResident(), new IndicatorCode("VOL-01"), 8, "rec-1", "b2"));
            var third = await t.Engine.SubmitAsync(new AwardRequest(t.NewResident(), new IndicatorCode("VOL-01"), 8, "rec-1", "b3"));
            var other = await t.Engine.SubmitAsync(new AwardRequest(t.NewResident(), new IndicatorCode("VOL-01"), 8, "rec-2", "b4"));

            Assert.NotNull(first.Value?.Entry);
            Assert.NotNull(second.Value?.Entry);
            Assert.Equal(RefusalCode.BudgetExceeded, third.Refusal!.Code);
            Assert.Equal(4, third.Refusal.Left); // VOL-01 pays at most 8 a day per resident: 8 + 8 of 20 issued
            Assert.NotNull(other.Value?.Entry);

            t.Clock.AdvanceDays(1);
            Assert.NotNull((await t.Engine.SubmitAsync(new AwardRequest(t.NewResident(), new IndicatorCode("VOL-01"), 8, "rec-1", "b5"))).Value?.Entry);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Warning_first_then_the_next_offence_enters_the_loop_as_a_deduction()
    {
        var r = _t.NewResident();
        _t.Adjust(r, 30);

        var warning = (await _t.Engine.SubmitAsync(Record(r, "CIV-04", 1))).Value!;
        Assert.NotNull(warning.Entry);
        Assert.True(warning.Entry!.Decision!.IsWarning);
        Assert.Equal(0, warning.Entry.Points);

        var second = (await _t.Engine.SubmitAsync(Record(r, "CIV-04", 1))).Value!.Record!;
        Assert.Equal((RecordStatus.Submitted, -10L), (second.Status, second.Points));
        await _t.Engine.ApproveAsync(Review(second.Id, "rev-1"));
        _t.Clock.AdvanceDays(3);
        await _t.Engine.RunDueWorkAsync();

        Assert.Equal(20, _t.Engine.GetBalance(r)!.Available);
    }

    [Fact]
    public async Task A_deduction_for_a_resident_under_14_is_refused_through_the_loop()
    {
        var minor = (await _t.Engine.RegisterResidentAsync(TestEngine.Community, "小明", birthYear: 2016)).Value!.Id;

        var result = await _t.Engine.SubmitAsync(Record(minor, "CIV-05", 1));

        Assert.Equal(RefusalCode.MinorResident, result.Refusal!.Code);
        Assert.Empty(_t.Engine.GetGovernanceRecordsOf(minor));
    }

    [Fact]
    public async Task A_repeated_submission_key_returns_the_same_record_and_a_rejection_gives_the_caps_back()
    {
        var r = _t.NewResident();
        var request = Record(r, "GOV-02", 1, key: "same");
        var first = (await _t.Engine.SubmitAsync(request)).Value!.Record!;
        var again = await _t.Engine.SubmitAsync(request);
        Assert.True(again.Replayed);
        Assert.Equal(first.Id, again.Value!.Record!.Id);

        var missingReason = await _t.Engine.RejectAsync(Review(first.Id, "rev-1"));
        Assert.Equal("reason", missingReason.Refusal!.Field);
        var rejected = (await _t.Engine.RejectAsync(Review(first.Id, "rev-1", "no minutes attached"))).Value!;

        Assert.Equal(RecordStatus.Rejected, rejected.Status);
        Assert.Equal(Balance.Zero, _t.Engine.GetBalance(r));
        Assert.Equal(10, _t.Preview(r, "GOV-02", 1).Awarded);
        Assert.Equal(RefusalCode.InvalidState, (await _t.Engine.ApproveAsync(Review(first.Id, "rev-2"))).Refusal!.Code);
    }

    [Fact]
    public async Task A_posted_award_cannot_be_reversed_or_spent_before_it_is_confirmed()
    {
        var r = _t.NewResident();
        var record = (await _t.Engine.SubmitAsync(Record(r, "GOV-02", 1))).Value!.Record!;
        var pending = (await _t.Engine.ApproveAsync(Review(record.Id, "rev-1"))).Value!;

        Assert.Equal(RefusalCode.InvalidState, _t.Reverse(pending.Entry!.Value).Refusal!.Code);
        Assert.Equal(0, _t.Engine.GetBalance(r)!.Available);
    }
}

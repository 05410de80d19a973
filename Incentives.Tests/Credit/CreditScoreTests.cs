using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Credit;

public sealed class CreditScoreTests
{
    [Fact]
    public void Standing_NoRecords_IsAAt1000()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);

        var s = t.Standing(r);

        Assert.Equal((true, 1000L, "A"), (s.Rated, s.Score, s.Tier));
    }

    [Fact]
    public void Standing_Plus50_IsAAAAt1050Inclusive()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        t.Credit(r, 49);
        Assert.Equal(("AA", 1049L), (t.Standing(r).Tier, t.Standing(r).Score));

        t.Credit(r, 1);

        Assert.Equal(("AAA", 1050L), (t.Standing(r).Tier, t.Standing(r).Score));
    }

    [Fact]
    public void Standing_ParkingThreeTimesWithinAYear_DeductsFiveThenTenThenTen()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        t.Adjust(r, 100);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(t.Award(r, "CIV-05", 1).Succeeded);
            t.Clock.Advance(Duration.FromDays(90));
        }

        var s = t.Standing(r);
        Assert.Equal((975L, "A"), (s.Score, s.Tier));
        Assert.Equal([-5, -10, -10], t.Engine.GetCreditRecords(r).Select(c => c.Delta));
    }

    [Fact]
    public void Standing_RecordExpires_TierReturnsExactlyAtTheBoundary()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        var record = t.Credit(r, 50);
        var end = TestEngine.Start.InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).LocalDateTime.PlusYears(1)
            .InZoneStrictly(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).ToInstant();
        t.Clock.Reset(end + Duration.FromDays(1));

        var justBefore = t.Standing(r, end - Duration.Epsilon);
        var atEnd = t.Standing(r, end);

        Assert.Equal(end, record.ValidTo);
        Assert.Equal(("AAA", 1050L), (justBefore.Tier, justBefore.Score));
        Assert.Equal(("A", 1000L), (atEnd.Tier, atEnd.Score));
    }

    [Fact]
    public void Standing_LargeDeduction_CountsTwoYears()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        t.Adjust(r, 100);
        t.Award(r, "FAM-05", 1); // credit −50, more than 40: two years

        Assert.Equal(950L, t.Standing(r, TestEngine.Start + Duration.FromDays(700), asKnownNow: true).Score);
        Assert.Equal(1000L, t.Standing(r, TestEngine.Start + Duration.FromDays(731), asKnownNow: true).Score);
    }

    [Fact]
    public async Task Standing_DirectGrading_CapsTheTierWhilePositiveRecordsStillCount()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        var grading = (await t.Engine.GradeDirectlyAsync(new DirectGradingRequest(r, "B", 2, "court ruling", "CASE-7", "staff-1", "g1"))).Value!;

        t.Credit(r, 60);
        var during = t.Standing(r);
        var after = t.Standing(r, TestEngine.Start + Duration.FromDays(365 * 2 + 1), asKnownNow: true);

        Assert.Equal((1060L, "B", grading.Id), (during.Score, during.Tier, during.CappedBy!.Value));
        Assert.Equal("A", after.Tier); // the +60 expired after a year; the grading after two
    }

    [Fact]
    public async Task Repair_ReducesADeductionWithANewRecordAndKeepsTheOriginal()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        var original = t.Credit(r, -50);
        t.Clock.Advance(Duration.FromDays(10));

        var repair = (await t.Engine.RepairCreditAsync(new CreditRepairRequest(original.Id, -10, null, "obligation fulfilled", "REPAIR-1", "staff-1", "rep1")));

        Assert.True(repair.Succeeded);
        Assert.Equal(990L, t.Standing(r).Score);
        Assert.Equal(950L, t.Standing(r, TestEngine.Start + Duration.FromDays(5)).Score);
        Assert.Equal(-50, t.Engine.GetCreditRecords(r).First(c => c.Id == original.Id).Delta);
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(10)]
    public async Task Repair_ThatWouldWorsenOrFlipTheRecord_IsRefused(int newDelta)
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        var original = t.Credit(r, -50);

        var repair = (await t.Engine.RepairCreditAsync(new CreditRepairRequest(original.Id, newDelta, null, "x", "D", "staff-1", "rep")));

        Assert.Equal((RefusalCode.InvalidArgument, "newDelta"), (repair.Refusal!.Code, repair.Refusal.Field));
    }

    [Fact]
    public async Task Repair_ShortensTheValidity()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        var original = t.Credit(r, -50);
        var end = TestEngine.Start + Duration.FromDays(30);

        await t.Engine.RepairCreditAsync(new CreditRepairRequest(original.Id, null, end, "volunteered", "REPAIR-2", "staff-1", "rep2"));
        t.Clock.Advance(Duration.FromDays(31));

        Assert.Equal(1000L, t.Standing(r).Score);
    }

    [Fact]
    public void Reversal_OfAnEntryWithCredit_CancelsItsCreditFromThenOn()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        t.Adjust(r, 100);
        var deduction = t.Award(r, "SAF-05", 1).Value!; // credit −20
        var before = t.Clock.GetCurrentInstant();
        t.Clock.Advance(Duration.FromHours(1));

        t.Reverse(deduction.Id);

        Assert.Equal(1000L, t.Standing(r).Score);
        Assert.Equal(980L, t.Standing(r, before).Score);
    }

    [Fact]
    public void Standing_AsOfThePast_IgnoresBackDatedRecordsLearntLaterUnlessAskedAsKnownNow()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        var past = TestEngine.Start + Duration.FromDays(1);
        t.Clock.Advance(Duration.FromDays(2));
        var before = t.Standing(r, past);

        t.Credit(r, -30, validFrom: TestEngine.Start);

        Assert.Equal(before, t.Standing(r, past));
        Assert.Equal(970L, t.Standing(r, past, asKnownNow: true).Score);
    }

    [Fact]
    public void Standing_WithoutConsent_IsUnratedWithNoScore()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Credit(r, 60);

        var s = t.Standing(r);

        Assert.Equal((false, (long?)null, (string?)null), (s.Rated, s.Score, s.Tier));
    }

    [Fact]
    public async Task RecordCredit_WithoutReasonOrDocument_IsRefused()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var noReason = (await t.Engine.RecordCreditAsync(new ManualCreditRequest(r, 5, "", "DOC", "staff-1", "a")));
        var noDocument = (await t.Engine.RecordCreditAsync(new ManualCreditRequest(r, 5, "why", " ", "staff-1", "b")));

        Assert.Equal("reason", noReason.Refusal!.Field);
        Assert.Equal("document", noDocument.Refusal!.Field);
    }

    [Fact]
    public void Standing_CurrentScore_IsMaterialisedUntilTheNextExpiry()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Consent(r);
        var record = t.Credit(r, 50);

        var account = t.Engine.Store.CreditAccounts.FindById(r.Value)!;

        Assert.Equal((1050L, "AAA", record.ValidTo.ToUnixTimeTicks()), (account.Score, account.Tier, account.NextChange));
        Assert.Equal(("AAA", 1050L), (t.Standing(r).Tier, t.Standing(r).Score));
    }
}

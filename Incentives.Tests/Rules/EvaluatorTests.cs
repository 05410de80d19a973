using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Rules;

public sealed class EvaluatorTests
{
    [Fact]
    public void Explain_VolunteerHoursWithThreeUsedToday_RendersEveryStepInChineseAndEnglish()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "VOL-01", 1.5m);

        var d = t.Preview(r, "VOL-01", 2.5m);

        Assert.Equal(
            "VOL-01 常规志愿服务: 2 × 2.5 h = 5 → 日上限 8 (已得 3) → 5 → 月上限 80 (已得 3) → 5 → 年上限 600 (已得 3) → 5 → 月总上限 200 (已得 3) → 5 → 年总上限 1500 (已得 3) → 5",
            d.Explain(Language.Zh));
        Assert.Equal(
            "VOL-01 Volunteer service: 2 × 2.5 h = 5 → day cap 8 (3 used) → 5 → month cap 80 (3 used) → 5 → year cap 600 (3 used) → 5 → monthly total cap 200 (3 used) → 5 → yearly total cap 1500 (3 used) → 5",
            d.Explain(Language.En));
    }

    [Fact]
    public void Evaluate_DayCapBinds_AwardsTheRoomLeftAndSaysWhy()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "VOL-01", 3m);

        var d = t.Preview(r, "VOL-01", 2.5m);

        Assert.Equal((5L, 2L), (d.Requested, d.Awarded));
        var cap = Assert.Single(d.Steps, s => s.Delta != 0 && s.Kind == StepKind.IndicatorCap);
        Assert.Equal((PeriodKind.Day, "2026-11-23", 8L, 6L, -3m), (cap.Period!.Value.Kind, cap.Period.Value.Value, cap.Limit!.Value, cap.UsedBefore!.Value, cap.Delta));
        Assert.Equal(d.Awarded, d.Steps.Sum(s => s.Delta));
    }

    [Fact]
    public void Evaluate_CapAlreadyFull_RefusesWithCapReached()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "GOV-05", 1);

        var d = t.Preview(r, "GOV-05", 1);

        Assert.False(d.Accepted);
        Assert.Equal(RefusalCode.CapReached, Assert.Single(d.Refusals).Code);
        Assert.Equal(0, d.Awarded);
    }

    [Fact]
    public void Award_ServiceHoursBeyondTheCap_ArePostedWithZeroPointsAndCountTowardStars()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "VOL-01", 4m);

        var entry = t.Award(r, "VOL-01", 3m).Value!;

        Assert.Equal((EntryKind.Award, 0L, 6L), (entry.Kind, entry.Points, entry.Decision!.Requested));
        Assert.Contains("日上限 8 (已得 8) → 0", entry.Decision.Explain(), StringComparison.Ordinal);
        Assert.Equal(7m, t.Engine.GetVolunteerStanding(r)!.Hours);
    }

    [Fact]
    public void Evaluate_FractionalPoints_RoundsTowardZeroWithAStep()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var d = t.Preview(r, "VOL-01", 2.25m);

        Assert.Equal(4, d.Awarded);
        Assert.Contains(d.Steps, s => s.Kind == StepKind.Rounding && s.Delta == -0.5m);
        Assert.StartsWith("VOL-01 常规志愿服务: 2 × 2.25 h = 4.5 → 取整 4", d.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SecondAndThirdParkingOffenceWithinAYear_AreDoubled()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Adjust(r, 100);

        var first = t.Award(r, "CIV-05", 1).Value!;
        t.Clock.Advance(Duration.FromDays(100));
        var second = t.Award(r, "CIV-05", 1).Value!;
        t.Clock.Advance(Duration.FromDays(100));
        var third = t.Award(r, "CIV-05", 1).Value!;

        Assert.Equal([-5L, -10L, -10L], [first.Points, second.Points, third.Points]);
        Assert.Equal([-5, -10, -10], [first.CreditDelta, second.CreditDelta, third.CreditDelta]);
        Assert.True(second.Decision!.IsRepeat);
        Assert.Contains("有效期内重复 (同类违规 2026-11-23) ×2 = −10", second.Decision.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OffenceMoreThanAYearAfterTheLast_IsNotDoubled()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Adjust(r, 100);
        t.Award(r, "CIV-05", 1);
        t.Clock.Advance(Duration.FromDays(366));

        var d = t.Preview(r, "CIV-05", 1);

        Assert.False(d.IsRepeat);
        Assert.Equal(-5, d.Awarded);
    }

    [Fact]
    public void Evaluate_ReversedOffence_DoesNotDoubleTheNext()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        var first = t.Award(r, "CIV-05", 1).Value!;
        t.Reverse(first.Id);

        var d = t.Preview(r, "CIV-05", 1);

        Assert.False(d.IsRepeat);
    }

    [Fact]
    public void Evaluate_AtHalfPastMidnightShanghai_CountsInTheLocalDay()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "VOL-01", 4m, at: Instant.FromUtc(2026, 11, 22, 15, 0)); // 23:00 on the 22nd in Shanghai
        t.Clock.Reset(Instant.FromUtc(2026, 11, 22, 16, 30)); // 00:30 on the 23rd in Shanghai

        var d = t.Preview(r, "VOL-01", 4m);

        Assert.Equal(8, d.Awarded);
        Assert.Equal(new LocalDate(2026, 11, 23), d.LocalDate);
    }

    [Fact]
    public void Evaluate_BackDatedRecord_UsesTheCapsOfItsOwnDay()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "VOL-01", 4m);
        var yesterday = TestEngine.Start - Duration.FromDays(1);

        var d = t.Preview(r, "VOL-01", 4m, at: yesterday);

        Assert.Equal(8, d.Awarded);
        Assert.Equal("2026-11-22", d.Steps.First(s => s.Kind == StepKind.IndicatorCap).Period!.Value.Value);
    }

    [Fact]
    public void Evaluate_OlderThanTheRecordingWindow_IsRefused()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var d = t.Preview(r, "VOL-01", 1m, at: TestEngine.Start - Duration.FromDays(40));

        Assert.Equal(RefusalCode.OutsideRecordingWindow, Assert.Single(d.Refusals).Code);
        Assert.Equal("occurredAt", d.Refusals[0].Field);
    }

    [Fact]
    public void Evaluate_InTheFuture_IsRefused()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var d = t.Preview(r, "VOL-01", 1m, at: TestEngine.Start + Duration.FromMinutes(1));

        Assert.Equal(RefusalCode.InTheFuture, Assert.Single(d.Refusals).Code);
    }

    [Theory]
    [InlineData("ENV-02", 1.5)]
    [InlineData("ENV-02", 0)]
    [InlineData("ENV-02", -1)]
    [InlineData("VOL-01", 12.5)]
    public void Evaluate_QuantityOutOfRange_IsRefusedNamingTheField(string indicator, double quantity)
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var d = t.Preview(r, indicator, (decimal)quantity);

        var refusal = Assert.Single(d.Refusals);
        Assert.Equal((RefusalCode.QuantityOutOfRange, "quantity"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Evaluate_UnknownIndicator_IsRefused()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var d = t.Preview(r, "XYZ-99", 1);

        Assert.Equal((RefusalCode.UnknownIndicator, "indicator"), (d.Refusals[0].Code, d.Refusals[0].Field));
    }

    [Fact]
    public void Evaluate_InactiveAndUnknownResidents_AreRefused()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Deactivate(r);

        var inactive = t.Preview(r, "VOL-01", 1);
        var unknown = t.Preview(new Incentives.Ledger.ResidentId("nobody"), "VOL-01", 1);

        Assert.Equal(RefusalCode.InactiveResident, Assert.Single(inactive.Refusals).Code);
        Assert.Equal(RefusalCode.UnknownResident, Assert.Single(unknown.Refusals).Code);
    }

    [Fact]
    public void Evaluate_GlobalMonthlyCap_LimitsPositivePointsAcrossIndicators()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        t.Award(r, "SAF-01", 1); // 30
        for (var i = 0; i < 5; i++)
        {
            t.Award(r, "SAF-01", 1); // no cap of its own: 6 × 30 = 180
        }

        var d = t.Preview(r, "SAF-01", 1);

        Assert.Equal((30L, 20L), (d.Requested, d.Awarded));
        Assert.Contains(d.Steps, s => s.Kind == StepKind.GlobalCap && s.Limit == 200 && s.UsedBefore == 180 && s.Delta == -10);
    }

    [Fact]
    public void Evaluate_Decision_NamesTheCatalogVersionAndHash()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        var d = t.Preview(r, "GOV-01", 1);

        Assert.Equal(("2026.1", t.Engine.Catalog.Hash), (d.CatalogVersion, d.CatalogHash));
    }
}

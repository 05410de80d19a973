using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Mall;

public sealed class ExpiryTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    private static Instant Local(int y, int m, int d, int h, int min) => new LocalDateTime(y, m, d, h, min).InZoneStrictly(Shanghai).ToInstant();

    [Fact]
    public async Task Expiry_AwardAt2330OnNewYearsEve_BelongsToThatYearAcrossTheBoundary()
    {
        using var t = TestEngine.Create(start: Local(2025, 12, 31, 23, 30));
        var r = t.NewResident();
        var lastOfYear = t.Adjust(r, 10).Value!;
        t.Clock.Reset(Local(2026, 1, 1, 0, 30));
        var firstOfYear = t.Adjust(r, 20).Value!;

        var lots = t.Engine.GetLots(r);

        Assert.Equal(Local(2027, 1, 1, 0, 0), lots.Single(l => l.Id == lastOfYear.Id).ExpiresAt);
        Assert.Equal(Local(2028, 1, 1, 0, 0), lots.Single(l => l.Id == firstOfYear.Id).ExpiresAt);

        t.Clock.Reset(Local(2026, 12, 31, 23, 59));
        Assert.Equal(0, (await t.Engine.RunDueWorkAsync()).ExpiredPoints);
        t.Clock.Reset(Local(2027, 1, 1, 0, 0));
        var report = await t.Engine.RunDueWorkAsync();
        var again = await t.Engine.RunDueWorkAsync();

        Assert.Equal((1, 10L), (report.ExpiredLots, report.ExpiredPoints));
        Assert.Equal((0, 0L), (again.ExpiredLots, again.ExpiredPoints));
        Assert.Equal(20, t.Engine.GetBalance(r)!.Available);
        var expiry = t.Engine.GetStatement(new StatementQuery(r, Kind: EntryKind.Expiry)).Items.Single();
        Assert.Equal((-10L, Local(2027, 1, 1, 0, 0)), (expiry.Points, expiry.OccurredAt));
        Assert.True(t.Engine.VerifyChain(r).Valid);
    }

    [Fact]
    public void Spending_DrawsTheSoonestExpiringLotsFirst()
    {
        using var t = TestEngine.Create(start: Local(2025, 6, 1, 10, 0));
        var r = t.NewResident();
        TestMall.Open(t);
        var older = t.Adjust(r, 25).Value!; // expires 2027-01-01
        t.Clock.Reset(Local(2026, 6, 1, 10, 0));
        var newer = t.Adjust(r, 100).Value!; // expires 2028-01-01

        var reservation = TestMall.Reserve(t, r, ("RICE", 1)).Value!;

        Assert.Equal([new LotAllocation(older.Id.Value, 25), new LotAllocation(newer.Id.Value, 5)], reservation.Lots);
        Assert.Equal((0L, 25L), (t.Engine.GetLots(r).Single(l => l.Id == older.Id).Remaining, t.Engine.GetLots(r).Single(l => l.Id == older.Id).Held));
    }

    [Fact]
    public void Deduction_TakesFromTheSoonestExpiringLotsToo()
    {
        using var t = TestEngine.Create(start: Local(2025, 6, 1, 10, 0));
        var r = t.NewResident();
        var older = t.Adjust(r, 3).Value!;
        t.Clock.Reset(TestEngine.Start);
        t.Adjust(r, 50);

        t.Award(r, "ENV-04", 1); // −5

        Assert.Equal([0L, 48L], t.Engine.GetLots(r).Select(l => l.Remaining));
        Assert.Equal(older.Id, t.Engine.GetLots(r)[0].Id);
    }

    [Fact]
    public async Task Cancel_AfterItsLotExpired_ExpiresTheReturnedPointsAtOnce()
    {
        using var t = TestEngine.Create(start: Local(2026, 12, 31, 12, 0));
        var r = t.NewResident();
        TestMall.Open(t);
        t.Clock.Reset(Local(2025, 12, 31, 12, 0));
        t.Adjust(r, 40); // expires 2027-01-01 00:00
        t.Clock.Reset(Local(2026, 12, 31, 12, 0));
        var reservation = TestMall.Reserve(t, r, ("RICE", 1)).Value!;
        t.Clock.Reset(Local(2027, 1, 1, 0, 0));
        var report = await t.Engine.RunDueWorkAsync();
        Assert.Equal(10, report.ExpiredPoints); // what was not held

        await t.Engine.CancelAsync(TestMall.Store, reservation.PickupCode, "resident");

        Assert.Equal(new Balance(0, 0, 0, 40), t.Engine.GetBalance(r));
        Assert.Equal([-10L, -30L], t.Engine.GetStatement(new StatementQuery(r, Kind: EntryKind.Expiry)).Items.Select(e => e.Points).Reverse());
        Assert.True(t.Engine.VerifyChain(r).Valid);
    }

    [Fact]
    public void ExpiringPoints_ShowsWhatLapsesWithin30And90Days()
    {
        using var t = TestEngine.Create(start: Local(2025, 3, 1, 10, 0));
        var r = t.NewResident();
        t.Adjust(r, 12); // expires 2027-01-01
        t.Clock.Reset(Local(2026, 3, 1, 10, 0));
        t.Adjust(r, 30); // expires 2028-01-01
        t.Clock.Reset(Local(2026, 11, 15, 10, 0));

        Assert.Equal(0, t.Engine.GetExpiringPoints(r, Duration.FromDays(30)));
        Assert.Equal(12, t.Engine.GetExpiringPoints(r, Duration.FromDays(90)));
    }

    [Fact]
    public void Expiry_NeverAndMonthsAfterAward_PoliciesFromTheCatalog()
    {
        var never = new Incentives.Catalog.PointsExpiry(Incentives.Catalog.PointsExpiryRule.Never, 0);
        var months = new Incentives.Catalog.PointsExpiry(Incentives.Catalog.PointsExpiryRule.MonthsAfterAward, 6);

        Assert.Null(never.ExpiresAt(Local(2026, 1, 31, 23, 30), Shanghai));
        Assert.Equal(Local(2026, 8, 1, 0, 0), months.ExpiresAt(Local(2026, 1, 31, 23, 30), Shanghai));
    }
}

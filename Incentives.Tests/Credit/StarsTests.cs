using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Credit;

public sealed class StarsTests
{
    /// <summary>Serves the given hours of VOL-01 at 12 a day (the most one record may carry), a day apart.</summary>
    internal static List<EntryId> Serve(TestEngine t, IReadOnlyList<ResidentId> residents, decimal hours)
    {
        var entries = new List<EntryId>();
        while (hours > 0)
        {
            var h = Math.Min(12m, hours);
            foreach (var r in residents)
            {
                entries.Add(t.Award(r, "VOL-01", h).Value!.Id);
            }

            hours -= h;
            t.Clock.Advance(Duration.FromDays(1));
        }

        return entries;
    }

    [Fact]
    public void Stars_AtExactly100Hours_IsOneStarReachedThatDay()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        Serve(t, [r], 99.5m);
        Assert.Equal((99.5m, 0), (t.Engine.GetVolunteerStanding(r)!.Hours, t.Engine.GetVolunteerStanding(r)!.Stars));
        var day = t.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date;

        Serve(t, [r], 0.5m);

        var s = t.Engine.GetVolunteerStanding(r)!;
        Assert.Equal((100m, 1), (s.Hours, s.Stars));
        Assert.Equal(new StarReached(1, 100m, day), Assert.Single(s.Reached));
    }

    [Fact]
    public void Stars_LostAfterAReversal()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();
        var entries = Serve(t, [r], 100m);
        Assert.Equal(1, t.Engine.GetVolunteerStanding(r)!.Stars);

        t.Reverse(entries[^1]);

        var s = t.Engine.GetVolunteerStanding(r)!;
        Assert.Equal((96m, 0), (s.Hours, s.Stars));
        Assert.Equal(1, t.Engine.GetVolunteerStanding(r, t.Clock.GetCurrentInstant() - Duration.FromSeconds(1))!.Stars);
    }

    [Fact]
    public void Stars_OnlyServiceHoursOfTheVolunteeringCategoryCount()
    {
        using var t = TestEngine.Create();
        var r = t.NewResident();

        t.Award(r, "VOL-02", 6m);
        t.Award(r, "VOL-05", 1);
        t.Award(r, "GOV-01", 1);

        Assert.Equal(6m, t.Engine.GetVolunteerStanding(r)!.Hours);
    }

    [Fact]
    public async Task Stars_FourStarThreshold_QualifiesForTheBusPass()
    {
        using var t = TestEngine.Create(start: Instant.FromUtc(2026, 1, 1, 0, 0));
        var r = t.NewResident();
        // 1000 hours at 12 a day; points stop at the caps but every hour counts toward stars.
        Serve(t, [r], 1000m);

        var d = (await t.Engine.DecideEligibilityAsync("STAR-BUS-PASS", r)).Value!;

        Assert.Equal(4, t.Engine.GetVolunteerStanding(r)!.Stars);
        Assert.True(d.Eligible);
        Assert.Equal("4★ meets 4★", Assert.Single(d.Reasons).Message);
    }
}

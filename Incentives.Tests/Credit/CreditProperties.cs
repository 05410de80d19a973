using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Credit;

/// <summary>DESIGN.md §3 invariant 6: score as of T = base + Σ deltas valid at T; tier monotone in score; and the
/// bitemporal promise that an answer about the past never changes.</summary>
public sealed class CreditProperties
{
    internal sealed record Step(int Delta, int Years, int BackDays, int AdvanceDays);

    private static readonly Gen<Step> Steps =
        from delta in Gen.Elements(-60, -45, -20, -5, 3, 10, 25, 50)
        from years in Gen.Choose(1, 3)
        from back in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 60)))
        from advance in Gen.Elements(0, 1, 30, 200, 366)
        select new Step(delta, years, back, advance);

    private static readonly Arbitrary<(List<Step> Steps, List<int> QueryDays)> Scenarios =
        Arb.From(Gen.Zip(Gen.ListOf(Steps), Gen.ListOf(Gen.Choose(-30, 2000))).Select(t => (t.Item1.ToList(), t.Item2.ToList())));

    [Property(MaxTest = 200)]
    public Property Score_as_of_T_equals_base_plus_the_deltas_valid_and_known_at_T() =>
        Prop.ForAll(Scenarios, scenario =>
        {
            using var t = TestEngine.Create();
            var r = t.NewResident();
            t.Consent(r);
            var records = Apply(t, r, scenario.Steps);
            var now = t.Clock.GetCurrentInstant();

            foreach (var day in scenario.QueryDays)
            {
                var asOf = TestEngine.Start + Duration.FromDays(day);
                if (asOf > now)
                {
                    continue;
                }

                if (asOf < TestEngine.Start)
                {
                    Assert.False(t.Standing(r, asOf).Rated); // consent came at the start: unrated before it
                    continue;
                }

                Assert.Equal(1000 + Oracle(records, asOf, asOf), t.Standing(r, asOf).Score);
                Assert.Equal(1000 + Oracle(records, asOf, now), t.Standing(r, asOf, asKnownNow: true).Score);
            }

            Assert.Equal(1000 + Oracle(records, now, now), t.Standing(r).Score);
        });

    [Property(MaxTest = 200)]
    public Property Tier_is_monotone_in_score() =>
        Prop.ForAll(Arb.From(from a in Gen.Choose(-2000, 4000) from b in Gen.Choose(-2000, 4000) from table in TierTables() select (a, b, table)), x =>
        {
            var (a, b, table) = x;
            var (low, high) = (Math.Min(a, b), Math.Max(a, b));
            Assert.True(IndexOf(table, table.TierFor(high)) <= IndexOf(table, table.TierFor(low)), $"{low}→{table.TierFor(low).Code}, {high}→{table.TierFor(high).Code}");
        });

    [Property(MaxTest = 200)]
    public Property An_answer_as_of_a_past_instant_does_not_change_when_later_records_are_added() =>
        Prop.ForAll(Arb.From(Gen.Zip(Gen.ListOf(Steps), Gen.ListOf(Steps))), x =>
        {
            using var t = TestEngine.Create();
            var r = t.NewResident();
            t.Consent(r);
            var early = Apply(t, r, x.Item1.ToList());
            var past = t.Clock.GetCurrentInstant();
            var before = t.Standing(r, past);
            var decision = t.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", r, past).GetAwaiter().GetResult().Value!;

            t.Clock.Advance(Duration.FromMinutes(1));
            Apply(t, r, x.Item2.ToList());
            if (early.Count > 0)
            {
                t.Engine.RepairCreditAsync(new CreditRepairRequest(early[0].Id, null, early[0].ValidFrom, "repaired", "R", "staff-1", "rep")).GetAwaiter().GetResult();
            }

            t.Engine.GradeDirectlyAsync(new DirectGradingRequest(r, "D", 5, "ruling", "CASE", "staff-1", "grade")).GetAwaiter().GetResult();

            Assert.Equal(before, t.Standing(r, past));
            var again = t.Engine.DecideEligibilityAsync("HEATING-SUBSIDY", r, past).GetAwaiter().GetResult().Value!;
            Assert.Equal((decision.Eligible, decision.Score, decision.Tier), (again.Eligible, again.Score, again.Tier));
        });

    private static List<CreditRecord> Apply(TestEngine t, ResidentId r, List<Step> steps)
    {
        var records = new List<CreditRecord>();
        foreach (var s in steps)
        {
            t.Clock.Advance(Duration.FromDays(s.AdvanceDays));
            var from = t.Clock.GetCurrentInstant() - Duration.FromDays(s.BackDays);
            records.Add(t.Credit(r, s.Delta, s.Years, from));
        }

        return records;
    }

    // Written from the definition, independently of the engine's calculator.
    private static long Oracle(List<CreditRecord> records, Instant asOf, Instant knownAt) =>
        records.Where(c => c.RecordedAt <= knownAt && c.ValidFrom <= asOf && asOf < c.ValidTo).Sum(c => (long)c.Delta);

    private static int IndexOf(CreditTierTable table, CreditTier tier) => table.Tiers.ToList().IndexOf(tier);

    // The shipped tables, and random valid ones: N tiers with strictly decreasing minimums and no gaps.
    private static Gen<CreditTierTable> TierTables()
    {
        var shipped = new[]
        {
            RulesLoader.Load(Repo.Rules).Snapshot!.CreditTiers,
        };
        var random =
            from mins in Gen.ListOf(Gen.Choose(-1000, 3000)).Select(l => l.Distinct().OrderDescending().ToList()).Where(l => l.Count >= 1)
            select new CreditTierTable("random", 1000, mins.Select((min, i) => new CreditTier(
                "T" + i, "等级" + i, "Tier " + i,
                min,
                i == 0 ? null : mins[i - 1] - 1)).Append(new CreditTier("LOW", "最低", "Lowest", null, mins[^1] - 1)).ToList());
        return Gen.OneOf(Gen.Elements(shipped), random);
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Ledger;

/// <summary>
/// Conservation of value per resident (docs/ledger-integrity.md), over random sequences of award, deduction,
/// adjustment, reversal (of anything: awards, deductions, adjustments, redemptions, expiries, reversals), reservation,
/// fulfil, cancel, lapse, loan, return and expiry. After every step: every point held or handed out was backed — the
/// lots it comes from belong to entries that stand (not reversed) — ; value handed out + available + reserved equals
/// the applied journal amounts other than redemptions; nothing is negative; each lot accounts for every point it ever
/// had; uncovered amounts never become spendable.
/// </summary>
public sealed class ConservationProperties
{
    internal abstract record Step;

    internal sealed record Record(int Resident, string Indicator, int Quantity, int DaysBack) : Step;

    internal sealed record Adjust(int Resident, long Points) : Step;

    internal sealed record Reverse(int Pick) : Step;

    internal sealed record Reserve(int Resident, string Sku, int Quantity) : Step;

    internal sealed record Fulfil(int Pick) : Step;

    internal sealed record Cancel(int Pick) : Step;

    internal sealed record ReturnLoan(int Pick) : Step;

    internal sealed record Advance(int Hours) : Step;

    private static readonly string[] Indicators = ["SAF-01", "ENV-02", "CIV-03", "VOL-01", "ENV-04", "SAF-04", "FAM-05"];

    private static readonly string[] Skus = ["RICE", "SOAP", "TEA", "KETTLE"];

    private static Arbitrary<List<Step>> Sequences()
    {
        var step = Gen.Frequency(
            (6, from r in Gen.Choose(0, 1) from i in Gen.Elements(Indicators) from q in Gen.Choose(1, 3) from d in Gen.Elements(0, 0, 3, 20)
                select (Step)new Record(r, i, q, d)),
            (2, from r in Gen.Choose(0, 1) from p in Gen.Elements(8L, 25L, -6L, -40L) select (Step)new Adjust(r, p)),
            (5, from p in Gen.Choose(0, 1000) select (Step)new Reverse(p)),
            (6, from r in Gen.Choose(0, 1) from s in Gen.Elements(Skus) from q in Gen.Choose(1, 2) select (Step)new Reserve(r, s, q)),
            (4, from p in Gen.Choose(0, 1000) select (Step)new Fulfil(p)),
            (2, from p in Gen.Choose(0, 1000) select (Step)new Cancel(p)),
            (2, from p in Gen.Choose(0, 1000) select (Step)new ReturnLoan(p)),
            (2, from h in Gen.Elements(1, 30, 24 * 5, 24 * 200, 24 * 400) select (Step)new Advance(h)));
        return Arb.From(Gen.Sized(size => Gen.ListOf(step, Math.Min(30, Math.Max(8, size)))));
    }

    [Property(MaxTest = 500)]
    public Property Value_handed_out_was_always_backed_and_every_point_is_accounted_for() => Holds(adapter: null);

    /// <summary>The property on an engine running on the given store adapter (the store contract uses it).</summary>
    internal static Property Holds(Func<IncentivesOptions, Incentives.Storage.IStore>? adapter) =>
        Prop.ForAll(Sequences(), steps =>
        {
            using var t = TestEngine.Create(start: Instant.FromUtc(2026, 12, 20, 2, 0), adapter: adapter);
            TestMall.Open(t);
            TestMall.Define(t, new ItemDefinition("TEA", "茶叶", "Tea", 3, ItemKind.Goods), 50);
            TestMall.Define(t, new ItemDefinition("KETTLE", "水壶", "Kettle", 5, ItemKind.Loan, LoanDays: 3), 5);
            var run = new Run(t, [t.NewResident("c0"), t.NewResident("c1")]);
            foreach (var step in steps)
            {
                run.Apply(step);
                run.Check();
            }
        });

    private sealed class Run(TestEngine t, ResidentId[] residents)
    {
        private readonly List<EntryId> _entries = [];
        private readonly List<string> _codes = [];
        private readonly Dictionary<ResidentId, long> _handedOut = residents.ToDictionary(r => r, _ => 0L);

        public void Apply(Step step)
        {
            var now = t.Clock.GetCurrentInstant();
            switch (step)
            {
                case Record r:
                    var award = t.Engine.AwardAsync(new AwardRequest(residents[r.Resident], new IndicatorCode(r.Indicator), r.Quantity, "staff-1", t.NextKey(),
                        now - Duration.FromDays(r.DaysBack))).GetAwaiter().GetResult();
                    Remember(award);
                    break;
                case Adjust a:
                    Remember(t.Adjust(residents[a.Resident], a.Points));
                    break;
                case Reverse v when _entries.Count > 0:
                    var target = _entries[v.Pick % _entries.Count];
                    var before = Snapshot();
                    var reversal = t.Reverse(target);
                    if (reversal.Value is { } entry)
                    {
                        _entries.Add(entry.Id);
                        CheckBreakdown(t.Engine.GetEntry(target)!, entry);
                    }
                    else
                    {
                        Assert.Contains(reversal.Refusal!.Code, new[] { RefusalCode.NotReversible, RefusalCode.AlreadyReversed, RefusalCode.PointsHeld });
                        Assert.Equal(before, Snapshot());
                    }

                    break;
                case Reserve r:
                    var reserved = TestMall.Reserve(t, residents[r.Resident], (r.Sku, r.Quantity));
                    if (reserved.Value is { } reservation)
                    {
                        _codes.Add(reservation.PickupCode);
                    }

                    break;
                case Fulfil f when _codes.Count > 0:
                    var code = _codes[f.Pick % _codes.Count];
                    var open = t.Engine.GetReservation(TestMall.Store, code)!;
                    if (open.Status == ReservationStatus.Open)
                    {
                        // The moment of hand-over: every point it spends must stand in the journal now.
                        CheckBacked(open);
                    }

                    var fulfilled = t.Engine.FulfilAsync(TestMall.Store, code, "staff-1").GetAwaiter().GetResult();
                    if (fulfilled is { Succeeded: true, Replayed: false })
                    {
                        _handedOut[open.Resident] += open.HeldPoints;
                        if (fulfilled.Value!.Redemption is { } redemption)
                        {
                            _entries.Add(redemption);
                        }
                    }

                    break;
                case Cancel c when _codes.Count > 0:
                    t.Engine.CancelAsync(TestMall.Store, _codes[c.Pick % _codes.Count], "resident").GetAwaiter().GetResult();
                    break;
                case ReturnLoan l when _codes.Count > 0:
                    t.Engine.ReturnLoanAsync(TestMall.Store, _codes[l.Pick % _codes.Count], "staff-1").GetAwaiter().GetResult();
                    break;
                case Advance a:
                    t.Clock.Advance(Duration.FromHours(a.Hours));
                    t.Engine.RunDueWorkAsync().GetAwaiter().GetResult();
                    break;
                default:
                    break;
            }
        }

        public void Check()
        {
            foreach (var r in residents)
            {
                var balance = t.Engine.GetBalance(r)!;
                var journal = Journal(r);
                Assert.True(balance.Available >= 0 && balance.Reserved >= 0 && balance.Pending >= 0);

                // Value handed out + available + reserved == Σ applied journal amounts other than redemptions.
                var redeemed = -journal.Where(e => e.Kind == EntryKind.Redemption).Sum(e => e.Points);
                Assert.Equal(_handedOut[r], redeemed);
                Assert.Equal(journal.Where(e => e.Kind != EntryKind.Redemption).Sum(e => e.Points), redeemed + balance.Available + balance.Reserved);

                // Each lot accounts for every point it ever had; the lots carry exactly the balance.
                var lots = t.Engine.GetLots(r);
                Assert.All(lots, l =>
                {
                    Assert.True(l.Remaining >= 0 && l.Held >= 0 && l.Spent >= 0 && l.ExpiredPoints >= 0 && l.Debited >= 0, l.ToString());
                    Assert.Equal(l.Original, l.Remaining + l.Held + l.Spent + l.ExpiredPoints + l.Debited);
                });
                Assert.Equal(balance.Available, lots.Where(l => !l.Expired).Sum(l => l.Remaining));
                Assert.Equal(balance.Reserved, lots.Sum(l => l.Held));

                // Uncovered amounts are recorded and never spendable: the balance is what the applied amounts say.
                Assert.All(journal, e => Assert.True(e.Uncovered >= 0));

                // Every hold is backed by points that stand: no open reservation holds points of a reversed entry.
                foreach (var reservation in t.Engine.GetReservations(r, openOnly: true))
                {
                    CheckBacked(reservation);
                }

                var chain = t.Engine.VerifyChain(r);
                Assert.True(chain.Valid, chain.Problem);
            }
        }

        private void CheckBacked(Reservation reservation)
        {
            var reversed = Journal(reservation.Resident).Where(e => e.Reverses is not null).Select(e => e.Reverses!.Value.Value).ToHashSet();
            Assert.All(reservation.Lots, a => Assert.DoesNotContain(a.Lot, reversed));
        }

        // A reversal of points takes back its own lot first, never twice what expired, and records what it could not take.
        private void CheckBreakdown(JournalEntry original, JournalEntry reversal)
        {
            var b = reversal.Breakdown!;
            if (original.Points > 0)
            {
                Assert.Equal(original.Points, b.FromOwnLot + b.FromOtherLots + b.Uncovered + b.AlreadyExpired);
                Assert.Equal(-(b.FromOwnLot + b.FromOtherLots), reversal.Points);
                var lot = t.Engine.GetLots(original.Resident).Single(l => l.Id == original.Id);
                Assert.Equal(0, lot.Remaining + lot.Held);
            }
            else
            {
                Assert.Equal(-original.Points, reversal.Points);
            }
        }

        private void Remember(CommandResult<JournalEntry> result)
        {
            if (result.Value is { } entry)
            {
                _entries.Add(entry.Id);
            }
        }

        private List<JournalEntry> Journal(ResidentId r) => t.Engine.GetStatement(new StatementQuery(r, PageSize: 500)).Items.ToList();

        private string Snapshot() =>
            string.Join(";", residents.Select(r => $"{t.Engine.GetBalance(r)}|{string.Join(",", t.Engine.GetLots(r))}|{Journal(r).Count}"));
    }
}

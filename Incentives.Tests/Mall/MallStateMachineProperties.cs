using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Mall;

/// <summary>
/// Random sequences of award, reserve, fulfil, cancel, lapsed holds, expiry runs and clock moves; after every step the
/// invariants of DESIGN.md §3 hold: (1) balances equal journals and nothing is negative, (2) a replayed key changes
/// nothing, (4) stock is conserved and never negative, (5) lots are drawn soonest-expiry first and an expiry run
/// expires exactly what remained in lots past their expiry.
/// </summary>
public sealed class MallStateMachineProperties
{
    internal abstract record Step;

    internal sealed record Earn(int Resident, long Points) : Step;

    internal sealed record Deduct(int Resident) : Step;

    internal sealed record Reserve(int Resident, string Sku, int Quantity, string Sku2) : Step;

    internal sealed record Fulfil(int Pick) : Step;

    internal sealed record Cancel(int Pick) : Step;

    internal sealed record Replay(int Pick) : Step;

    internal sealed record Advance(int Hours, bool RunDueWork) : Step;

    private static readonly string[] Skus = ["RICE", "SOAP", "HAIRCUT", "TEA"];

    private static Arbitrary<List<Step>> Sequences()
    {
        var step = Gen.Frequency(
            (4, from r in Gen.Choose(0, 1) from p in Gen.Elements(5L, 12L, 30L, 60L) select (Step)new Earn(r, p)),
            (1, from r in Gen.Choose(0, 1) select (Step)new Deduct(r)),
            (6, from r in Gen.Choose(0, 1) from s in Gen.Elements(Skus) from q in Gen.Choose(1, 3) from s2 in Gen.Elements(Skus) select (Step)new Reserve(r, s, q, s2)),
            (3, from p in Gen.Choose(0, 100) select (Step)new Fulfil(p)),
            (2, from p in Gen.Choose(0, 100) select (Step)new Cancel(p)),
            (1, from p in Gen.Choose(0, 100) select (Step)new Replay(p)),
            (3, from h in Gen.Elements(1, 20, 49, 24 * 30, 24 * 200) from due in Gen.Elements(true, true, false) select (Step)new Advance(h, due)));
        return Arb.From(Gen.Sized(size => Gen.ListOf(step, Math.Min(40, Math.Max(5, size)))));
    }

    [Property(MaxTest = 300)]
    public Property Mall_invariants_hold_after_every_step() =>
        Prop.ForAll(Sequences(), steps =>
        {
            using var t = TestEngine.Create();
            TestMall.Open(t);
            TestMall.Define(t, new ItemDefinition("TEA", "茶叶", "Tea", 3, ItemKind.Goods), 50);
            var residents = new[] { t.NewResident("m0"), t.NewResident("m1") };
            var requests = new List<(ReservationRequest Request, string Code)>();
            foreach (var step in steps)
            {
                Apply(t, residents, requests, step);
                CheckInvariants(t, residents);
            }
        });

    private static void Apply(TestEngine t, ResidentId[] residents, List<(ReservationRequest Request, string Code)> requests, Step step)
    {
        switch (step)
        {
            case Earn e:
                t.Adjust(residents[e.Resident], e.Points);
                break;
            case Deduct d:
                t.Award(residents[d.Resident], "ENV-04", 1);
                break;
            case Reserve r:
                var lines = r.Sku == r.Sku2 ? [new LineRequest(r.Sku, r.Quantity)] : new List<LineRequest> { new(r.Sku, r.Quantity), new(r.Sku2, 1) };
                var request = new ReservationRequest(TestMall.Store, residents[r.Resident], lines, t.NextKey());
                var result = t.Engine.ReserveAsync(request).GetAwaiter().GetResult();
                if (result.Value is { } reservation)
                {
                    requests.Add((request, reservation.PickupCode));
                    CheckSoonestExpiryFirst(t, reservation);
                }

                break;
            case Fulfil f when requests.Count > 0:
                Close(t, requests[f.Pick % requests.Count].Code, fulfil: true);
                break;
            case Cancel c when requests.Count > 0:
                Close(t, requests[c.Pick % requests.Count].Code, fulfil: false);
                break;
            case Replay p when requests.Count > 0:
                var before = Snapshot(t, residents);
                var original = requests[p.Pick % requests.Count].Request;
                var replay = t.Engine.ReserveAsync(original).GetAwaiter().GetResult();
                var conflict = t.Engine.ReserveAsync(original with { Lines = [new LineRequest("TEA", 9)] }).GetAwaiter().GetResult();
                Assert.True(replay.Replayed);
                Assert.Equal(RefusalCode.IdempotencyConflict, conflict.Refusal!.Code);
                Assert.Equal(before, Snapshot(t, residents));
                break;
            case Advance a:
                t.Clock.Advance(Duration.FromHours(a.Hours));
                if (a.RunDueWork)
                {
                    RunDueWorkAndCheckExpiry(t, residents);
                }

                break;
            default:
                break;
        }
    }

    private static void Close(TestEngine t, string code, bool fulfil)
    {
        var result = fulfil
            ? t.Engine.FulfilAsync(TestMall.Store, code, "staff-1").GetAwaiter().GetResult()
            : t.Engine.CancelAsync(TestMall.Store, code, "resident").GetAwaiter().GetResult();
        Assert.True(result.Succeeded || result.Refusal!.Code == RefusalCode.InvalidState, result.Refusal?.Message);
    }

    private static void CheckSoonestExpiryFirst(TestEngine t, Reservation reservation)
    {
        if (reservation.Lots.Count == 0)
        {
            return;
        }

        var lots = t.Engine.GetLots(reservation.Resident);
        var latest = reservation.Lots.Select(a => lots.Single(l => l.Id.Value == a.Lot)).Max(l => l.ExpiresAt ?? Instant.MaxValue);
        Assert.All(lots.Where(l => !l.Expired && (l.ExpiresAt ?? Instant.MaxValue) < latest), l => Assert.Equal(0, l.Remaining));
    }

    // What must expire: the remaining points of lots past expiry, plus held points that a lapsing hold returns to
    // such lots (or to lots an earlier run expired).
    private static void RunDueWorkAndCheckExpiry(TestEngine t, ResidentId[] residents)
    {
        var now = t.Clock.GetCurrentInstant();
        long expected = 0;
        foreach (var r in residents)
        {
            var lots = t.Engine.GetLots(r).ToDictionary(l => l.Id.Value);
            bool Dead(Lot l) => l.Expired || (l.ExpiresAt is { } e && e <= now);
            expected += lots.Values.Where(l => !l.Expired && Dead(l)).Sum(l => l.Remaining);
            expected += t.Engine.GetReservations(r, openOnly: true).Where(x => x.ExpiresAt <= now)
                .SelectMany(x => x.Lots).Where(a => Dead(lots[a.Lot])).Sum(a => a.Amount);
        }

        var before = ExpiredSoFar(t, residents);
        t.Engine.RunDueWorkAsync().GetAwaiter().GetResult();

        Assert.Equal(expected, ExpiredSoFar(t, residents) - before);
        foreach (var r in residents)
        {
            Assert.All(t.Engine.GetLots(r).Where(l => l.ExpiresAt is { } e && e <= now), l => Assert.True(l.Expired && l.Remaining == 0));
            Assert.DoesNotContain(t.Engine.GetReservations(r, openOnly: true), x => x.ExpiresAt <= now);
        }
    }

    private static long ExpiredSoFar(TestEngine t, ResidentId[] residents) =>
        -residents.Sum(r => t.Engine.GetStatement(new StatementQuery(r, Kind: EntryKind.Expiry, PageSize: 500)).Items.Sum(e => e.Points));

    private static void CheckInvariants(TestEngine t, ResidentId[] residents)
    {
        foreach (var r in residents)
        {
            var chain = t.Engine.VerifyChain(r); // balance = journal, lots = balance, nothing negative
            Assert.True(chain.Valid, chain.Problem);
            Assert.Equal(t.Engine.GetBalance(r)!.Reserved, t.Engine.GetReservations(r, openOnly: true).Sum(x => x.HeldPoints));
        }

        var open = residents.SelectMany(r => t.Engine.GetReservations(r, openOnly: true)).SelectMany(x => x.Lines).ToList();
        foreach (var item in t.Engine.GetItems(TestMall.Store))
        {
            Assert.True(item.Stock >= 0 && item.Held >= 0 && item.Handed >= 0);
            Assert.Equal(item.Held, open.Where(l => l.Sku == item.Definition.Sku).Sum(l => (long)l.Quantity));
            Assert.Equal(item.Received, item.Stock + item.Held + item.Handed);
        }
    }

    private static string Snapshot(TestEngine t, ResidentId[] residents) =>
        string.Join(";", residents.Select(r => t.Engine.GetBalance(r)!.ToString()))
        + string.Join(";", t.Engine.GetItems(TestMall.Store).Select(i => $"{i.Stock}/{i.Held}/{i.Handed}"))
        + t.Engine.Store.Reservations.Count();
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incentives.Catalog;
using Incentives.Governance;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Governance;

/// <summary>
/// DESIGN.md §3 over random sequences of the governance loop's commands mixed with the ledger's and the mall's:
/// submit (awards and deductions, by several recorders), approve (sometimes by the submitter), reject, object, decide,
/// time passing with due work, appeal and decide appeals (upheld, reduced, voided), reservations and pickups,
/// reversals, each sometimes repeated with its key. After every step: the ledger verifies (chains, balances equal the
/// journal, lots equal the balance, nothing negative); pending and submitted equal the records that hold them; no
/// record that does not count has a lot (so pending or submitted points are never spendable); value handed out never
/// exceeds what was confirmed; a repeated key changes nothing.
/// </summary>
public sealed class GovernanceProperties
{
    internal abstract record Step;

    internal sealed record Submit(int Resident, string Indicator, int Quantity, int Recorder) : Step;

    internal sealed record Approve(int Pick, int Reviewer) : Step;

    internal sealed record Reject(int Pick) : Step;

    internal sealed record Object(int Pick) : Step;

    internal sealed record Decide(int Pick, bool Confirm) : Step;

    internal sealed record Advance(int Hours) : Step;

    internal sealed record AppealStep(int Pick) : Step;

    internal sealed record DecideAppealStep(int Pick, AppealStatus Outcome) : Step;

    internal sealed record Reserve(int Resident, string Sku) : Step;

    internal sealed record Fulfil(int Pick) : Step;

    internal sealed record Reverse(int Pick) : Step;

    internal sealed record Repeat : Step;

    private static readonly string[] Indicators = ["GOV-02", "SAF-01", "CIV-05", "ENV-04", "FAM-05", "CIV-04", "ENV-02", "VOL-01"];

    private static readonly string[] People = ["rec-1", "rec-2", "rev-1"];

    private static Arbitrary<List<Step>> Sequences()
    {
        var step = Gen.Frequency(
            (8, from r in Gen.Choose(0, 2) from i in Gen.Elements(Indicators) from q in Gen.Choose(1, 2) from who in Gen.Choose(0, 2) select (Step)new Submit(r, i, q, who)),
            (6, from p in Gen.Choose(0, 1000) from who in Gen.Choose(0, 2) select (Step)new Approve(p, who)),
            (1, from p in Gen.Choose(0, 1000) select (Step)new Reject(p)),
            (2, from p in Gen.Choose(0, 1000) select (Step)new Object(p)),
            (2, from p in Gen.Choose(0, 1000) from c in Gen.Elements(true, false) select (Step)new Decide(p, c)),
            (3, from h in Gen.Elements(1, 24, 71, 72, 24 * 4, 24 * 8) select (Step)new Advance(h)),
            (2, from p in Gen.Choose(0, 1000) select (Step)new AppealStep(p)),
            (2, from p in Gen.Choose(0, 1000) from o in Gen.Elements(AppealStatus.Upheld, AppealStatus.Reduced, AppealStatus.Voided) select (Step)new DecideAppealStep(p, o)),
            (3, from r in Gen.Choose(0, 2) from s in Gen.Elements("RICE", "SOAP", "HAIRCUT") select (Step)new Reserve(r, s)),
            (2, from p in Gen.Choose(0, 1000) select (Step)new Fulfil(p)),
            (2, from p in Gen.Choose(0, 1000) select (Step)new Reverse(p)),
            (2, Gen.Constant((Step)new Repeat())));
        return Arb.From(Gen.Sized(size => Gen.ListOf(step, Math.Min(35, Math.Max(10, size)))));
    }

    [Property(MaxTest = 100)]
    public Property The_ledgers_invariants_hold_through_every_step_of_the_loop() =>
        Prop.ForAll(Sequences(), steps =>
        {
            using var t = TestEngine.Create();
            TestMall.Open(t);
            var residents = new[] { t.NewResident("g0"), t.NewResident("g1"), t.NewResident("g2") };
            foreach (var r in residents)
            {
                t.Consent(r);
                t.Adjust(r, 40);
            }

            var run = new Run(t, residents);
            foreach (var step in steps)
            {
                run.Apply(step);
                run.Check(step);
            }
        });

    private sealed class Run(TestEngine t, ResidentId[] residents)
    {
        private readonly List<long> _records = [];
        private readonly List<long> _appeals = [];
        private readonly List<(string Code, ResidentId Resident)> _reservations = [];
        private Action? _last;

        private IncentivesEngine E => t.Engine;

        public void Apply(Step step)
        {
            switch (step)
            {
                case Submit s:
                    var request = new AwardRequest(residents[s.Resident], new IndicatorCode(s.Indicator), s.Quantity, People[s.Recorder], t.NextKey());
                    Remember(() => Wait(E.SubmitAsync(request)) is { Value: { } v } ? v.Record is { } rec ? "r" + rec.Id : "e" + v.Entry!.Id : "refused");
                    if (Wait(E.SubmitAsync(request)).Value?.Record is { } record && !_records.Contains(record.Id))
                    {
                        _records.Add(record.Id);
                    }

                    break;
                case Approve a when Pick(_records, a.Pick) is { } id:
                    var approval = new ReviewRequest(id, People[a.Reviewer], t.NextKey());
                    Remember(() => Wait(E.ApproveAsync(approval)).Value?.Status.ToString() ?? "refused");
                    break;
                case Reject r when Pick(_records, r.Pick) is { } id:
                    var rejection = new ReviewRequest(id, "rev-2", t.NextKey(), "no evidence");
                    Remember(() => Wait(E.RejectAsync(rejection)).Value?.Status.ToString() ?? "refused");
                    break;
                case Object o when Pick(_records, o.Pick) is { } id:
                    var objection = new ObjectionRequest(id, "neighbour", "not true", t.NextKey());
                    Remember(() => Wait(E.ObjectAsync(objection)).Value?.Status.ToString() ?? "refused");
                    break;
                case Decide d when Pick(_records, d.Pick) is { } id:
                    var decision = new ObjectionDecisionRequest(id, d.Confirm, "decided", "mgr-1", t.NextKey());
                    Remember(() => Wait(E.DecideObjectionAsync(decision)).Value?.Status.ToString() ?? "refused");
                    break;
                case Advance a:
                    t.Clock.Advance(Duration.FromHours(a.Hours));
                    Wait(E.RunDueWorkAsync());
                    _last = null;
                    break;
                case AppealStep a:
                    var deductions = residents.SelectMany(r => E.GetStatement(new StatementQuery(r, Kind: EntryKind.Deduction)).Items).ToList();
                    if (Pick(deductions.Select(x => x.Id.Value).ToList(), a.Pick) is { } entry)
                    {
                        var owner = deductions.First(x => x.Id.Value == entry).Resident;
                        var appeal = new AppealRequest(owner, entry, null, "not me", owner.Value, t.NextKey());
                        Remember(() => Wait(E.AppealAsync(appeal)).Value is { } made ? "a" + made.Id : "refused");
                        if (Wait(E.AppealAsync(appeal)).Value is { } opened)
                        {
                            _appeals.Add(opened.Id);
                        }
                    }

                    break;
                case DecideAppealStep d when Pick(_appeals, d.Pick) is { } id:
                    var appealDecision = new AppealDecisionRequest(id, d.Outcome, "decided", "mgr-1", t.NextKey(), d.Outcome == AppealStatus.Reduced ? 2 : null);
                    Remember(() => Wait(E.DecideAppealAsync(appealDecision)).Value?.Status.ToString() ?? "refused");
                    break;
                case Reserve r:
                    if (TestMall.Reserve(t, residents[r.Resident], (r.Sku, 1)).Value is { } reservation)
                    {
                        _reservations.Add((reservation.PickupCode, residents[r.Resident]));
                    }

                    _last = null;
                    break;
                case Fulfil f when Pick(_reservations.Select((x, i) => (long)i).ToList(), f.Pick) is { } i:
                    Wait(E.FulfilAsync(TestMall.Store, _reservations[(int)i].Code, "staff-1"));
                    _last = null;
                    break;
                case Reverse r:
                    var entries = residents.SelectMany(x => E.GetStatement(new StatementQuery(x, PageSize: 200)).Items).Select(x => x.Id.Value).ToList();
                    if (Pick(entries, r.Pick) is { } target)
                    {
                        var reversal = new ReversalRequest(new EntryId(target), "mistake", "staff-1", t.NextKey());
                        Remember(() => Wait(E.ReverseAsync(reversal)).Value?.Id.ToString() ?? "refused");
                    }

                    break;
                case Repeat when _last is { } again:
                    var before = E.Digest();
                    again();
                    Assert.Equal(before, E.Digest());
                    break;
                default:
                    break;
            }
        }

        public void Check(Step step)
        {
            var verification = E.Verify();
            Assert.True(verification.Valid, $"after {step}: {string.Join("; ", verification.Problems)}");
            foreach (var r in residents)
            {
                var balance = E.GetBalance(r)!;
                var records = E.GetGovernanceRecordsOf(r);
                Assert.Equal(records.Where(x => x.Status is RecordStatus.Pending or RecordStatus.Objected && x.Points > 0).Sum(x => x.Points), balance.Pending);
                Assert.Equal(records.Where(x => x.Status == RecordStatus.Submitted && x.Points > 0).Sum(x => x.Points), balance.Submitted);

                // Points are spendable only from lots, and no record that does not count has one.
                var lots = E.GetLots(r);
                var uncounted = records.Where(x => x.Status != RecordStatus.Confirmed && x.Entry is not null).Select(x => x.Entry!.Value).ToHashSet();
                Assert.DoesNotContain(lots, l => uncounted.Contains(l.Id));
                Assert.Equal(balance.Available + balance.Reserved, lots.Where(l => !l.Expired).Sum(l => l.Remaining + l.Held));

                // Value handed out never exceeds what was confirmed and not taken back.
                var statement = E.GetStatement(new StatementQuery(r, PageSize: 500)).Items;
                var redeemed = -statement.Where(x => x.Kind == EntryKind.Redemption).Sum(x => x.Points);
                Assert.True(redeemed <= lots.Sum(l => l.Original), $"after {step}: {r} redeemed {redeemed}, lots held {lots.Sum(l => l.Original)}");
            }
        }

        private void Remember(Func<string> command)
        {
            var first = command();
            _last = () => Assert.Equal(first, command());
        }

        private static long? Pick(List<long> from, int pick) => from.Count == 0 ? null : from[pick % from.Count];

        private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
    }
}

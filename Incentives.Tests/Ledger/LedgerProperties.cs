using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Incentives.Ledger;
using Incentives.Rules;

namespace Incentives.Tests.Ledger;

/// <summary>The ledger invariants of DESIGN.md §3 (1, 2, 3, 7) over random command sequences.</summary>
public sealed class LedgerProperties
{
    [Property(MaxTest = 200)]
    public Property Balance_components_equal_the_sum_of_the_journal_and_chains_verify() =>
        Prop.ForAll(LedgerScenario.Scenarios(), ops =>
        {
            using var run = LedgerScenario.Execute(ops);
            foreach (var r in run.Residents)
            {
                var balance = run.Engine.Engine.GetBalance(r)!;
                var journal = run.Engine.Engine.GetStatement(new StatementQuery(r, PageSize: 500)).Items.Sum(e => e.Points);
                Assert.Equal(journal, balance.Total);
                Assert.True(balance.Available >= 0 && balance.Pending >= 0 && balance.Reserved >= 0 && balance.LifetimeEarned >= 0, balance.ToString());
                Assert.True(run.Engine.Engine.VerifyChain(r).Valid, run.Engine.Engine.VerifyChain(r).Problem);
            }
        });

    [Property(MaxTest = 200)]
    public Property Caps_are_never_exceeded_and_within_caps_awarded_equals_requested() =>
        Prop.ForAll(LedgerScenario.Scenarios(), ops =>
        {
            using var run = LedgerScenario.Execute(ops);
            var catalog = run.Engine.Engine.Catalog;
            var live = new List<AwardDecision>();
            foreach (var r in run.Residents)
            {
                var entries = run.Engine.Engine.GetStatement(new StatementQuery(r, PageSize: 500)).Items;
                var reversed = entries.Where(e => e.Reverses is not null).Select(e => e.Reverses!.Value).ToHashSet();
                live.AddRange(entries.Where(e => e.Decision is not null && !reversed.Contains(e.Id)).Select(e => e.Decision!));
            }

            foreach (var d in live)
            {
                if (d.Steps.Where(s => s.Kind is StepKind.IndicatorCap or StepKind.GlobalCap).All(s => s.Delta == 0))
                {
                    Assert.Equal(d.Requested, d.Awarded);
                }
            }

            foreach (var group in live.GroupBy(d => (d.Resident, d.Indicator)))
            {
                var caps = catalog.FindIndicator(group.Key.Indicator)!.Caps;
                AssertWithin(group, d => d.LocalDate.ToString("uuuu-MM-dd", null), caps.Day);
                AssertWithin(group, d => d.LocalDate.ToString("uuuu-MM", null), caps.Month);
                AssertWithin(group, d => d.LocalDate.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), caps.Year);
                AssertWithin(group, _ => "lifetime", caps.Lifetime);
            }

            foreach (var resident in live.Where(d => d.Awarded > 0).GroupBy(d => d.Resident))
            {
                AssertWithin(resident, d => d.LocalDate.ToString("uuuu-MM", null), catalog.GlobalCaps.Month);
                AssertWithin(resident, d => d.LocalDate.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), catalog.GlobalCaps.Year);
            }
        });

    [Property(MaxTest = 200)]
    public Property Explanation_steps_add_up_to_the_applied_points_and_the_entry_moves_exactly_that() =>
        Prop.ForAll(LedgerScenario.Scenarios(), ops =>
        {
            using var run = LedgerScenario.Execute(ops);
            foreach (var (_, _, result) in run.Commands)
            {
                var decision = result.Value?.Decision ?? result.Decision;
                if (decision is { Steps.Count: > 0 })
                {
                    Assert.Equal(decision.Applied, decision.Steps.Sum(s => s.Delta));
                    Assert.Equal(decision.Applied, decision.Steps[^1].Result);
                    Assert.Equal(decision.Applied, decision.Awarded + decision.Uncovered);
                }

                if (result.Value is { Decision: { } posted } entry)
                {
                    Assert.Equal(entry.Points, posted.Applied);
                    Assert.Equal(entry.Uncovered, posted.Uncovered);
                }
            }
        });

    [Property(MaxTest = 200)]
    public Property Replaying_any_command_with_its_key_changes_nothing() =>
        Prop.ForAll(LedgerScenario.Scenarios(), ops =>
        {
            using var run = LedgerScenario.Execute(ops);
            var before = LedgerScenario.StateOf(run);
            foreach (var (_, request, result) in run.Commands.Where(c => c.Result.Succeeded))
            {
                var again = LedgerScenario.Resubmit(run.Engine.Engine, request).GetAwaiter().GetResult();
                Assert.True(again.Replayed);
                Assert.Equal((result.Value!.Id, result.Value.Hash), (again.Value!.Id, again.Value.Hash));
            }

            Assert.Equal(before, LedgerScenario.StateOf(run));
        });

    [Property(MaxTest = 200)]
    public Property A_different_payload_under_a_used_key_is_refused_and_changes_nothing() =>
        Prop.ForAll(LedgerScenario.Scenarios(), ops =>
        {
            using var run = LedgerScenario.Execute(ops);
            var before = LedgerScenario.StateOf(run);
            foreach (var (_, request, _) in run.Commands.Where(c => c.Result.Succeeded && !c.Result.Replayed))
            {
                object changed = request switch
                {
                    AwardRequest a => a with { Quantity = a.Quantity + 1 },
                    ReversalRequest r => r with { Reason = r.Reason + " (edited)" },
                    AdjustmentRequest j => j with { Points = j.Points + 1 },
                    _ => request,
                };
                var result = LedgerScenario.Resubmit(run.Engine.Engine, changed).GetAwaiter().GetResult();
                Assert.Equal(RefusalCode.IdempotencyConflict, result.Refusal?.Code);
            }

            Assert.Equal(before, LedgerScenario.StateOf(run));
        });

    private static void AssertWithin(IEnumerable<AwardDecision> decisions, Func<AwardDecision, string> period, long? cap)
    {
        if (cap is not { } limit)
        {
            return;
        }

        foreach (var p in decisions.GroupBy(period))
        {
            var sum = p.Sum(d => d.Awarded);
            Assert.True(Math.Abs(sum) <= Math.Abs(limit), $"{p.Key}: {sum} exceeds cap {limit}");
        }
    }
}

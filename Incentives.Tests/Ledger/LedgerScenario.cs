using FsCheck;
using FsCheck.Fluent;
using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Ledger;

/// <summary>One step of a random ledger scenario.</summary>
internal abstract record Op;

internal sealed record AwardOp(int Resident, string Indicator, decimal Quantity, int Key, int HoursBack) : Op;

internal sealed record ReverseOp(int Pick, int Key) : Op;

internal sealed record AdjustOp(int Resident, long Points, int Key) : Op;

internal sealed record AdvanceOp(int Hours) : Op;

/// <summary>Generates random command sequences and runs them against an in-memory engine.</summary>
internal static class LedgerScenario
{
    public const int Residents = 3;

    // Indicators that exercise every cap kind: day/month/year (VOL-01, ENV-02, GOV-05), lifetime (VOL-04),
    // none but the global caps (SAF-01), and deductions that repeat and overrun balances (CIV-05, ENV-04, FAM-05).
    private static readonly (string Code, decimal[] Quantities)[] Indicators =
    [
        ("VOL-01", [0.5m, 1m, 2.25m, 2.5m, 4m, 6m]),
        ("ENV-02", [1m]),
        ("GOV-05", [1m]),
        ("VOL-04", [1m, 2m, 5m]),
        ("SAF-01", [1m]),
        ("CIV-05", [1m]),
        ("ENV-04", [1m]),
        ("FAM-05", [1m]),
    ];

    public static Arbitrary<List<Op>> Scenarios()
    {
        var award =
            from i in Gen.Choose(0, Indicators.Length - 1)
            from q in Gen.Elements(Indicators[i].Quantities)
            from r in Gen.Choose(0, Residents - 1)
            from k in Gen.Choose(0, 40)
            from back in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 24 * 20)))
            select (Op)new AwardOp(r, Indicators[i].Code, q, k, back);
        var reverse = from p in Gen.Choose(0, 1000) from k in Gen.Choose(0, 40) select (Op)new ReverseOp(p, k);
        var adjust = from r in Gen.Choose(0, Residents - 1) from p in Gen.Elements(-50L, -5L, 5L, 40L) from k in Gen.Choose(0, 40) select (Op)new AdjustOp(r, p, k);
        var advance = from h in Gen.Elements(1, 6, 20, 24 * 9, 24 * 40) select (Op)new AdvanceOp(h);
        var op = Gen.Frequency((10, award), (2, reverse), (2, adjust), (3, advance));
        return Arb.From(Gen.Sized(size => Gen.ListOf(op, Math.Max(5, size))));
    }

    /// <summary>Everything a scenario did, for the properties to check.</summary>
    internal sealed record Run(TestEngine Engine, List<ResidentId> Residents, List<(Op Op, object Request, CommandResult<JournalEntry> Result)> Commands) : IDisposable
    {
        public void Dispose() => Engine.Dispose();
    }

    public static Run Execute(IEnumerable<Op> ops)
    {
        var t = TestEngine.Create();
        var residents = Enumerable.Range(0, Residents).Select(i => t.NewResident("res" + i)).ToList();
        var commands = new List<(Op, object, CommandResult<JournalEntry>)>();
        var entries = new List<EntryId>();
        foreach (var op in ops)
        {
            switch (op)
            {
                case AwardOp a:
                    var request = new AwardRequest(residents[a.Resident], new IndicatorCode(a.Indicator), a.Quantity, "staff-1", "a" + a.Key,
                        a.HoursBack == 0 ? null : t.Clock.GetCurrentInstant() - Duration.FromHours(a.HoursBack));
                    commands.Add((op, request, Track(t.Engine.AwardAsync(request).GetAwaiter().GetResult(), entries)));
                    break;
                case ReverseOp r when entries.Count > 0:
                    var reversal = new ReversalRequest(entries[r.Pick % entries.Count], "mistake", "staff-1", "r" + r.Key);
                    commands.Add((op, reversal, Track(t.Engine.ReverseAsync(reversal).GetAwaiter().GetResult(), entries)));
                    break;
                case AdjustOp j:
                    var adjustment = new AdjustmentRequest(residents[j.Resident], j.Points, "case by case", "staff-1", "j" + j.Key);
                    commands.Add((op, adjustment, Track(t.Engine.AdjustAsync(adjustment).GetAwaiter().GetResult(), entries)));
                    break;
                case AdvanceOp v:
                    t.Clock.Advance(Duration.FromHours(v.Hours));
                    break;
                default:
                    break;
            }
        }

        return new Run(t, residents, commands);
    }

    /// <summary>Balances and entry count: what must not move when a command is replayed or refused.</summary>
    public static string StateOf(Run run) =>
        string.Join(";", run.Residents.Select(r => run.Engine.Engine.GetBalance(r)!.ToString()))
        + "|" + run.Engine.Engine.Store.Entries.Count();

    public static Task<CommandResult<JournalEntry>> Resubmit(IncentivesEngine engine, object request) => request switch
    {
        AwardRequest a => engine.AwardAsync(a),
        ReversalRequest r => engine.ReverseAsync(r),
        AdjustmentRequest j => engine.AdjustAsync(j),
        _ => throw new ArgumentException("unknown request", nameof(request)),
    };

    private static CommandResult<JournalEntry> Track(CommandResult<JournalEntry> result, List<EntryId> entries)
    {
        if (result.Value is { } entry && !result.Replayed)
        {
            entries.Add(entry.Id);
        }

        return result;
    }
}

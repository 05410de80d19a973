using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Rules;
using NodaTime;
using NodaTime.Testing;

namespace Incentives.Tests.Support;

/// <summary>An in-memory engine on the repository's rules with one community in Asia/Shanghai and a fake clock.</summary>
internal sealed class TestEngine : IDisposable
{
    public static readonly CommunityId Community = new("east");

    // 2026-11-23 10:00 in Shanghai.
    public static readonly Instant Start = Instant.FromUtc(2026, 11, 23, 2, 0);

    private int _keys;

    private TestEngine(IncentivesEngine engine, FakeClock clock)
    {
        Engine = engine;
        Clock = clock;
    }

    public IncentivesEngine Engine { get; }

    public FakeClock Clock { get; }

    /// <param name="adapter">The store adapter to run on (the store contract runs the engine on each); default LiteDB.</param>
    public static TestEngine Create(string? databasePath = null, Instant? start = null, string? rules = null, Func<IncentivesOptions, Incentives.Storage.IStore>? adapter = null)
    {
        var clock = new FakeClock(start ?? Start);
        var engine = IncentivesEngine.Open(new IncentivesOptions { DatabasePath = databasePath, RulesDirectory = rules ?? Repo.Rules }, clock, null, adapter: adapter);
        engine.RegisterCommunityAsync(Community, "东城社区").GetAwaiter().GetResult();
        return new TestEngine(engine, clock);
    }

    /// <summary>Opens an existing store without registering the community again.</summary>
    public static TestEngine Reopen(string databasePath)
    {
        var clock = new FakeClock(Start);
        return new TestEngine(IncentivesEngine.Open(new IncentivesOptions { DatabasePath = databasePath, RulesDirectory = Repo.Rules }, clock), clock);
    }

    public ResidentId NewResident(string? id = null)
    {
        var result = Engine.RegisterResidentAsync(Community, "张三", id is null ? null : new ResidentId(id)).GetAwaiter().GetResult();
        return result.Value!.Id;
    }

    public string NextKey() => "k" + Interlocked.Increment(ref _keys);

    public CommandResult<JournalEntry> Award(ResidentId resident, string indicator, decimal quantity, Instant? at = null, string? key = null) =>
        Engine.AwardAsync(new AwardRequest(resident, new IndicatorCode(indicator), quantity, "staff-1", key ?? NextKey(), at)).GetAwaiter().GetResult();

    public AwardDecision Preview(ResidentId resident, string indicator, decimal quantity, Instant? at = null) =>
        Engine.PreviewAward(new AwardRequest(resident, new IndicatorCode(indicator), quantity, "staff-1", "preview", at));

    public CommandResult<JournalEntry> Adjust(ResidentId resident, long points, string? key = null) =>
        Engine.AdjustAsync(new AdjustmentRequest(resident, points, "opening balance", "staff-1", key ?? NextKey())).GetAwaiter().GetResult();

    public CommandResult<JournalEntry> Reverse(EntryId entry, string? key = null) =>
        Engine.ReverseAsync(new ReversalRequest(entry, "recorded by mistake", "staff-1", key ?? NextKey())).GetAwaiter().GetResult();

    public void Consent(ResidentId resident) =>
        Engine.GrantConsentAsync(resident, "staff-1").GetAwaiter().GetResult();

    public Incentives.Credit.CreditRecord Credit(ResidentId resident, int delta, int? years = null, Instant? validFrom = null) =>
        Engine.RecordCreditAsync(new Incentives.Credit.ManualCreditRequest(resident, delta, "case by case", "DOC-1", "staff-1", NextKey(), validFrom, years))
            .GetAwaiter().GetResult().Value!;

    public Incentives.Credit.CreditStanding Standing(ResidentId resident, Instant? asOf = null, bool asKnownNow = false) =>
        Engine.GetCredit(resident, asOf, asKnownNow)!;

    public void Deactivate(ResidentId resident) =>
        Engine.SetResidentStatusAsync(resident, ResidentStatus.Inactive).GetAwaiter().GetResult();

    public void Dispose() => Engine.Dispose();
}

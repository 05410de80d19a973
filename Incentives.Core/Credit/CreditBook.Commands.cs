using System.Globalization;
using System.Text.Json;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Storage;
using Incentives.Utility;
using NodaTime;

namespace Incentives.Credit;

/// <summary>The credit commands. Each checks everything before it writes, so a refusal writes nothing.</summary>
internal sealed partial class CreditBook
{
    public const int MaxBatch = IncentivesEngine.MaxEligibilityBatch;
    private const string EligibilitySequence = "eligibilityId";
    private const int MaxDelta = 1000;
    private const int MaxYears = 10;

    public CommandResult<CreditRecord> RecordManual(ManualCreditRequest r, Instant at)
    {
        var payload = PayloadHash.Sha256(string.Join('\u001f', "credit", r.Resident.Value, r.Delta, r.Reason, r.Document, r.RecordedBy,
            r.ValidFrom?.ToUnixTimeTicks(), r.ValidYears));
        if (Idempotency.Check(store, "credit:", r.IdempotencyKey, payload, id => FindRecord(id)!) is { } replay)
        {
            return replay;
        }

        var refusal = CheckResident(r.Resident) ?? CheckText(r.Reason, "reason") ?? CheckText(r.Document, "document")
            ?? (r.Delta is 0 or < -MaxDelta or > MaxDelta ? Invalid("delta", $"a credit delta must be non-zero and at most {MaxDelta} either way") : null)
            ?? (r.ValidYears is < 1 or > MaxYears ? Invalid("validYears", $"validity must be 1–{MaxYears} years") : null)
            ?? (r.ValidFrom > at ? Invalid("validFrom", "a record cannot start in the future") : null);
        if (refusal is not null)
        {
            return CommandResult<CreditRecord>.Refused(refusal);
        }

        var catalog = CatalogAt(r.Resident, at);
        var years = r.ValidYears ?? catalog.CreditValidity.YearsFor(r.Delta);
        var from = r.ValidFrom ?? at;
        return Remember("credit:", r.IdempotencyKey, payload, new CreditRecord
        {
            Id = store.Next(CreditSequence),
            Resident = r.Resident,
            Kind = CreditRecordKind.Manual,
            Delta = r.Delta,
            Reason = r.Reason,
            Document = r.Document,
            RecordedBy = r.RecordedBy,
            RecordedAt = at,
            ValidFrom = from,
            ValidTo = PlusYears(from, ZoneOf(r.Resident), years),
        }, at);
    }

    public CommandResult<CreditRecord> GradeDirectly(DirectGradingRequest r, Instant at)
    {
        var payload = PayloadHash.Sha256(string.Join('\u001f', "grade", r.Resident.Value, r.Tier, r.Years, r.Reason, r.Document, r.RecordedBy));
        if (Idempotency.Check(store, "grade:", r.IdempotencyKey, payload, id => FindRecord(id)!) is { } replay)
        {
            return replay;
        }

        var tiers = CatalogAt(r.Resident, at).CreditTiers;
        var refusal = CheckResident(r.Resident) ?? CheckText(r.Reason, "reason") ?? CheckText(r.Document, "document")
            ?? (!tiers.Tiers.Any(t => t.Code == r.Tier) ? Invalid("tier", $"unknown tier '{r.Tier}'") : null)
            ?? (r.Years is < 1 or > MaxYears ? Invalid("years", $"a direct grading lasts 1–{MaxYears} years") : null);
        if (refusal is not null)
        {
            return CommandResult<CreditRecord>.Refused(refusal);
        }

        return Remember("grade:", r.IdempotencyKey, payload, new CreditRecord
        {
            Id = store.Next(CreditSequence),
            Resident = r.Resident,
            Kind = CreditRecordKind.DirectGrading,
            Tier = r.Tier,
            Reason = r.Reason,
            Document = r.Document,
            RecordedBy = r.RecordedBy,
            RecordedAt = at,
            ValidFrom = at,
            ValidTo = PlusYears(at, ZoneOf(r.Resident), r.Years),
        }, at);
    }

    public CommandResult<CreditRecord> Repair(CreditRepairRequest r, Instant at)
    {
        var payload = PayloadHash.Sha256(string.Join('\u001f', "repair", r.Target, r.NewDelta, r.NewValidTo?.ToUnixTimeTicks(), r.Reason, r.Document, r.RecordedBy));
        if (Idempotency.Check(store, "repair:", r.IdempotencyKey, payload, id => FindRecord(id)!) is { } replay)
        {
            return replay;
        }

        if (FindRecord(r.Target) is not { } target || target.Kind is CreditRecordKind.Reversal or CreditRecordKind.Repair or CreditRecordKind.Suspension)
        {
            return CommandResult<CreditRecord>.Refused(new Refusal(RefusalCode.UnknownEntry, "target", $"no repairable credit record {r.Target}", $"信用记录 {r.Target} 不存在或不可修复"));
        }

        // The target as it stands now, after any earlier repair.
        var records = Records(target.Resident);
        var latest = records.LastOrDefault(x => x.Kind == CreditRecordKind.Repair && x.Target == target.Id);
        var delta = latest?.Delta ?? target.Delta;
        var validTo = latest?.ValidTo ?? target.ValidTo;
        var refusal = CheckText(r.Reason, "reason") ?? CheckText(r.Document, "document")
            ?? (records.Any(x => x.Kind == CreditRecordKind.Reversal && x.Target == target.Id)
                ? new Refusal(RefusalCode.AlreadyReversed, "target", "the record was reversed", "该记录已冲正") : null)
            ?? (r.NewDelta is null && r.NewValidTo is null ? Invalid("newDelta", "a repair must reduce the delta or end the record earlier") : null)
            ?? (r.NewDelta is { } d && ((d != 0 && Math.Sign(d) != Math.Sign(delta)) || Math.Abs((long)d) > Math.Abs((long)delta))
                ? Invalid("newDelta", $"a repair may only reduce the delta ({delta}) toward 0") : null)
            ?? (r.NewValidTo is { } end && (end > validTo || end < target.ValidFrom)
                ? Invalid("newValidTo", "a repair may only end the record earlier, not before it starts") : null);
        if (refusal is not null)
        {
            return CommandResult<CreditRecord>.Refused(refusal);
        }

        return Remember("repair:", r.IdempotencyKey, payload, new CreditRecord
        {
            Id = store.Next(CreditSequence),
            Resident = target.Resident,
            Kind = CreditRecordKind.Repair,
            Target = target.Id,
            Delta = r.NewDelta ?? delta,
            Reason = r.Reason,
            Document = r.Document,
            RecordedBy = r.RecordedBy,
            RecordedAt = at,
            ValidFrom = target.ValidFrom,
            ValidTo = r.NewValidTo ?? validTo,
        }, at);
    }

    public CommandResult<ConsentState> SetConsent(ResidentId resident, bool granted, string by, Instant at)
    {
        if ((CheckResident(resident) ?? CheckText(by, "recordedBy")) is { } refusal)
        {
            return CommandResult<ConsentState>.Refused(refusal);
        }

        if (Consent(resident, at) is { } current && current.Granted == granted)
        {
            return CommandResult<ConsentState>.Ok(current, replayed: true);
        }

        store.Consents.Insert(new ConsentEventDoc { Resident = resident.Value, Granted = granted, At = at.ToUnixTimeTicks(), By = by });
        return CommandResult<ConsentState>.Ok(new ConsentState(resident, granted, at, by));
    }

    /// <summary>Checks a batch before anything is decided: its size, and that the instant is not in the future.</summary>
    public static Refusal? CheckBatch(int count, Instant when, Instant at) =>
        count is 0 or > MaxBatch ? Invalid("residents", $"between 1 and {MaxBatch} residents per call")
        : when > at ? Invalid("asOf", "eligibility cannot be decided for the future")
        : null;

    /// <summary>An older log's eligibility command: decided and stored in one go on the writer (replay only; new
    /// batches are decided by readers and stored by <see cref="StoreEligibility"/>).</summary>
    public CommandResult<EligibilityBatch> DecideEligibility(string benefit, IReadOnlyList<ResidentId> residents, Instant? asOf, Instant at)
    {
        var when = asOf ?? at;
        if (CheckBatch(residents.Count, when, at) is { } refusal)
        {
            return CommandResult<EligibilityBatch>.Refused(refusal);
        }

        var zones = new Dictionary<string, DateTimeZone>(StringComparer.Ordinal);
        var decisions = new List<EligibilityDecision>(residents.Count);
        foreach (var resident in residents)
        {
            if (Decide(benefit, resident, when, at, zones) is not { } decision)
            {
                return CommandResult<EligibilityBatch>.Refused(UnknownBenefit(benefit));
            }

            decisions.Add(decision);
        }

        return StoreEligibility(decisions);
    }

    /// <summary>Stores decisions made by readers: numbers them as one block and inserts them together.</summary>
    public CommandResult<EligibilityBatch> StoreEligibility(IReadOnlyList<EligibilityDecision> decisions)
    {
        var next = store.GetMeta(EligibilitySequence);
        var numbered = new List<EligibilityDecision>(decisions.Count);
        foreach (var d in decisions)
        {
            numbered.Add(d with { Id = "EL-" + (++next).ToString("D6", CultureInfo.InvariantCulture) });
        }

        store.SetMeta(EligibilitySequence, next);
        store.Eligibility.InsertBulk(numbered.Select(d => new EligibilityDoc { Id = d.Id, Json = JsonSerializer.Serialize(d, JsonSetup.Options) }));
        return CommandResult<EligibilityBatch>.Ok(new EligibilityBatch(numbered));
    }

    /// <summary>One resident's decision, read only (no id yet); null when the policy does not exist. Exactly as of
    /// the instant: records learnt later never change an answer about the past.</summary>
    public EligibilityDecision? Decide(string benefit, ResidentId resident, Instant when, Instant at, IDictionary<string, DateTimeZone> zones)
    {
        var doc = store.Residents.FindById(resident.Value);
        var zone = doc is null ? catalogs.Latest!.TimeZone : ZoneOfCommunity(doc.Community, zones);
        var date = when.InZone(zone).Date;
        var catalog = catalogs.InForce(date) ?? catalogs.Latest!;
        if (catalog.Benefits.FirstOrDefault(b => b.Code == benefit) is not { } policy)
        {
            return null;
        }

        var decision = new EligibilityDecision
        {
            Id = string.Empty, Benefit = policy.Code, Resident = resident, AsOf = when, DecidedAt = at, Eligible = false, Rated = false,
            PolicyVersion = catalog.Version, PolicyHash = catalog.Hash, Reasons = [],
        };
        if (doc is null)
        {
            return decision with { Reasons = [new("resident", false, $"no resident '{resident}'", $"居民 '{resident}' 不存在")] };
        }

        var credit = Standing(resident, catalog, when, when, at);
        var stars = Stars(resident, catalog, when);
        var (eligible, reasons) = EligibilityJudge.Judge(policy, catalog.CreditTiers, credit, stars, doc.Community, date);
        return decision with { Eligible = eligible, Rated = credit.Rated, Tier = credit.Tier, Score = credit.Score, Stars = stars.Stars, Reasons = reasons };
    }

    public static Refusal UnknownBenefit(string benefit) => new(RefusalCode.InvalidArgument, "code", $"no benefit '{benefit}'", $"无此激励政策 '{benefit}'");

    public EligibilityDecision? FindDecision(string id) =>
        store.Eligibility.FindById(id) is { } doc ? JsonSerializer.Deserialize<EligibilityDecision>(doc.Json, JsonSetup.Options) : null;

    private DateTimeZone ZoneOfCommunity(string community, IDictionary<string, DateTimeZone> zones)
    {
        if (!zones.TryGetValue(community, out var zone))
        {
            var zoneId = store.Communities.FindById(community)?.Zone;
            zone = zoneId is null ? catalogs.Latest!.TimeZone : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? catalogs.Latest!.TimeZone;
            zones[community] = zone;
        }

        return zone;
    }

    private CommandResult<CreditRecord> Remember(string scope, string key, string payload, CreditRecord record, Instant at)
    {
        Insert(record, at);
        Idempotency.Remember(store, scope + key, payload, record.Id);
        return CommandResult<CreditRecord>.Ok(record);
    }

    private Refusal? CheckResident(ResidentId resident) =>
        store.Residents.FindById(resident.Value) is null ? LedgerMapping.UnknownResident(resident) : null;

    private static Refusal? CheckText(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) || text.Length > 500 ? Invalid(field, $"'{field}' is required (at most 500 characters)") : null;

    private static Refusal Invalid(string field, string message) => new(RefusalCode.InvalidArgument, field, message, message);
}

/// <summary>Eligibility decisions in the order of the request.</summary>
/// <param name="Decisions">One per resident asked about.</param>
public sealed record EligibilityBatch(IReadOnlyList<EligibilityDecision> Decisions);

using System.Text.Json;
using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Storage;
using Incentives.Utility;
using NodaTime;

namespace Incentives.Credit;

/// <summary>
/// Credit records, consent, volunteer hours and eligibility decisions in the store. Writes run on the writer thread
/// inside its transaction (called by <see cref="Storage.CommandDispatcher"/>); reads may come from any thread.
/// </summary>
internal sealed partial class CreditBook(IStore store, CatalogHistory catalogs)
{
    private const string CreditSequence = "creditRecordId";

    private static readonly DateTimeZone DefaultZone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    /// <summary>After an award or deduction: its credit record and, for service hours, its volunteer hours.</summary>
    public void OnPosted(JournalEntry entry, Instant at)
    {
        var decision = entry.Decision!;
        var catalog = catalogs.FindByHash(decision.CatalogHash)!;
        if (decision.CreditDelta != 0)
        {
            var years = catalog.CreditValidity.YearsFor(decision.CreditDelta);
            Insert(new CreditRecord
            {
                Id = store.Next(CreditSequence),
                Resident = entry.Resident,
                Kind = CreditRecordKind.Indicator,
                Delta = decision.CreditDelta,
                Indicator = decision.Indicator,
                Entry = entry.Id,
                Document = entry.Evidence,
                RecordedBy = entry.RecordedBy,
                RecordedAt = at,
                ValidFrom = entry.OccurredAt,
                ValidTo = PlusYears(entry.OccurredAt, ZoneOf(entry.Resident), years),
            }, at);
        }

        var indicator = catalog.FindIndicator(decision.Indicator)!;
        if (indicator.CountsServiceHours && entry.Kind == EntryKind.Award)
        {
            InsertHours(new VolunteerHours(entry.Id.Value, decision.Quantity, entry.OccurredAt, at, null, decision.LocalDate), entry.Resident);
        }
    }

    /// <summary>After a reversal: the reversed entry's credit record and service hours stop counting from now on.</summary>
    public void OnReversed(JournalEntry original, JournalEntry reversal, Instant at)
    {
        var entry = original.Id.Value;
        if (store.CreditRecordOfEntry(entry) is { } doc)
        {
            Insert(new CreditRecord
            {
                Id = store.Next(CreditSequence),
                Resident = original.Resident,
                Kind = CreditRecordKind.Reversal,
                Target = doc.Id,
                Entry = reversal.Id,
                Reason = reversal.Reason,
                RecordedBy = reversal.RecordedBy,
                RecordedAt = at,
                ValidFrom = at,
                ValidTo = at,
            }, at);
        }

        if (store.VolunteerHours.FindById(entry) is not null)
        {
            InsertHours(new VolunteerHours(reversal.Id.Value, 0, at, at, entry, at.InZone(ZoneOf(original.Resident)).Date), original.Resident);
        }
    }

    public IReadOnlyList<CreditRecord> Records(ResidentId resident)
    {
        return store.CreditRecordsOf(resident.Value).Select(ToRecord).ToList();
    }

    public CreditRecord? FindRecord(long id) => store.CreditRecords.FindById(id) is { } doc ? ToRecord(doc) : null;

    public ConsentState? Consent(ResidentId resident, Instant asOf)
    {
        var id = resident.Value;
        var ticks = asOf.ToUnixTimeTicks();
        var last = store.LatestConsent(id, ticks);
        return last is null ? null : new ConsentState(resident, last.Granted, Instant.FromUnixTimeTicks(last.At), last.By);
    }

    /// <summary>Credit as of <paramref name="asOf"/>, counting records known by <paramref name="knownAt"/>; the
    /// materialised score answers "now" without reading the records.</summary>
    public CreditStanding Standing(ResidentId resident, Instant asOf, Instant knownAt, Instant now) =>
        Standing(resident, CatalogAt(resident, asOf), asOf, knownAt, now);

    /// <summary>As above, with the catalog in force already known (a batch looks it up once per resident).</summary>
    public CreditStanding Standing(ResidentId resident, CatalogSnapshot catalog, Instant asOf, Instant knownAt, Instant now)
    {
        if (Consent(resident, asOf) is not { Granted: true })
        {
            return new CreditStanding(false, null, null, asOf, knownAt, null);
        }

        if (asOf == now && knownAt >= now && store.CreditAccounts.FindById(resident.Value) is { } cached
            && cached.CatalogHash == catalog.Hash
            && cached.ComputedAt <= now.ToUnixTimeTicks() && now.ToUnixTimeTicks() < cached.NextChange)
        {
            return new CreditStanding(true, cached.Score, cached.Tier, asOf, knownAt, cached.CappedBy == 0 ? null : cached.CappedBy);
        }

        var (score, tier, cappedBy) = CreditCalculator.Compute(Records(resident), catalog.CreditTiers, asOf, knownAt);
        return new CreditStanding(true, score, tier.Code, asOf, knownAt, cappedBy);
    }

    /// <summary>The standing now, and until when it stays so by itself (a record starting or expiring); a standing that
    /// had to be computed from the records is valid for this instant only.</summary>
    public (CreditStanding Standing, long ValidUntil) StandingNow(ResidentId resident, Instant now)
    {
        if (Consent(resident, now) is not { Granted: true })
        {
            return (new CreditStanding(false, null, null, now, now, null), long.MaxValue);
        }

        var catalog = CatalogAt(resident, now);
        var ticks = now.ToUnixTimeTicks();
        if (store.CreditAccounts.FindById(resident.Value) is { } cached && cached.CatalogHash == catalog.Hash && cached.ComputedAt <= ticks && ticks < cached.NextChange)
        {
            return (new CreditStanding(true, cached.Score, cached.Tier, now, now, cached.CappedBy == 0 ? null : cached.CappedBy), cached.NextChange);
        }

        return (Standing(resident, catalog, now, now, now), ticks);
    }

    public VolunteerStanding Stars(ResidentId resident, Instant asOf) => Stars(resident, CatalogAt(resident, asOf), asOf);

    public VolunteerStanding Stars(ResidentId resident, CatalogSnapshot catalog, Instant asOf)
    {
        var id = resident.Value;
        var records = store.HoursOf(id)
            .Select(v => JsonSerializer.Deserialize<VolunteerHours>(v.Json, JsonSetup.Options)!).ToList();
        return StarCalculator.Compute(records, catalog.VolunteerStars, asOf);
    }

    internal DateTimeZone ZoneOf(ResidentId resident) =>
        LedgerHandler.ResidentContext(store, resident, catalogs.Latest?.TimeZone ?? DefaultZone).Zone;

    internal CatalogSnapshot CatalogAt(ResidentId resident, Instant asOf) =>
        catalogs.InForce(asOf.InZone(ZoneOf(resident)).Date) ?? catalogs.Latest!;

    /// <summary>Stores a record made by the governance loop (a suspension, a repair or reversal on appeal) under a new id.</summary>
    internal CreditRecord Add(CreditRecord record, Instant at)
    {
        var stored = record with { Id = store.Next(CreditSequence) };
        Insert(stored, at);
        return stored;
    }

    private void Insert(CreditRecord record, Instant at)
    {
        store.CreditRecords.Insert(new CreditRecordDoc
        {
            Id = record.Id,
            Resident = record.Resident.Value,
            Entry = record.Entry?.Value ?? 0,
            Json = JsonSerializer.Serialize(record, JsonSetup.Options),
        });
        Refresh(record.Resident, at);
    }

    private void InsertHours(VolunteerHours hours, ResidentId resident) =>
        store.VolunteerHours.Insert(new VolunteerHoursDoc { Id = hours.Entry, Resident = resident.Value, Json = JsonSerializer.Serialize(hours, JsonSetup.Options) });

    /// <summary>Re-materialises the current score and tier, and when they will next change by themselves (a record
    /// starting or expiring); a lookup "now" before then reads no records.</summary>
    private void Refresh(ResidentId resident, Instant at)
    {
        var records = Records(resident);
        var catalog = CatalogAt(resident, at);
        var (score, tier, cappedBy) = CreditCalculator.Compute(records, catalog.CreditTiers, at, at);
        store.CreditAccounts.Upsert(new CreditAccountDoc
        {
            Id = resident.Value,
            Score = score,
            Tier = tier.Code,
            CappedBy = cappedBy ?? 0,
            CatalogHash = catalog.Hash,
            ComputedAt = at.ToUnixTimeTicks(),
            NextChange = CreditCalculator.NextChange(records, at) is var next && next == Instant.MaxValue ? long.MaxValue : next.ToUnixTimeTicks(),
        });
    }

    private static CreditRecord ToRecord(CreditRecordDoc doc) =>
        JsonSerializer.Deserialize<CreditRecord>(doc.Json, JsonSetup.Options) ?? throw new InvalidDataException($"credit record {doc.Id} is empty");

    private static Instant PlusYears(Instant start, DateTimeZone zone, int years) =>
        start.InZone(zone).LocalDateTime.PlusYears(years).InZoneLeniently(zone).ToInstant();
}

using System.Text.Json;
using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Rules;
using Incentives.Storage;
using Incentives.Utility;
using NodaTime;

namespace Incentives.Ledger;

/// <summary>
/// The ledger's commands: catalogs, communities and residents, and posting — awards and deductions, reversals,
/// adjustments, and the entries the mall and the clock write (redemptions, expiries). Runs only on the writer
/// thread, inside the writer's unit of work. Every command decides first (reading) and writes only once it is sure,
/// so a refusal writes nothing; an exception means a bug and makes the writer roll the batch back.
/// </summary>
internal sealed partial class LedgerHandler(IStore store, CatalogHistory catalogs, LedgerKey ledgerKey, CreditBook creditBook, LotBook lotBook, AccountState accounts)
{
    private readonly CreditBook _credit = creditBook;
    private readonly LotBook _lots = lotBook;

    /// <summary>The meta key of the ledger-wide running hash after the last entry.</summary>
    public const string LedgerHeadKey = "ledgerHead";

    internal const string NextEntryIdKey = "nextEntryId";
    internal const int MaxNameLength = 100;

    /// <summary>Who the engine's own entries (expiries, overdue loans) are recorded by.</summary>
    internal const string SystemActor = "system";
    private const string CatalogOrderKey = "catalogOrder";

    public CatalogSnapshot RegisterCatalog(RegisterCatalogCommand c)
    {
        var snapshot = CanonicalForm.Deserialize(c.Canonical);
        var order = store.Next(CatalogOrderKey);
        store.Catalogs.Upsert(new CatalogDoc { Id = snapshot.Hash, Order = order, Canonical = c.Canonical });
        catalogs.Add(catalogs.FindByHash(snapshot.Hash) ?? snapshot);
        return snapshot;
    }

    public CommandResult<Community> RegisterCommunity(RegisterCommunityCommand c)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(c.Zone);
        if (zone is null)
        {
            return CommandResult<Community>.Refused(new Refusal(RefusalCode.InvalidArgument, "timeZone", $"unknown time zone '{c.Zone}'", $"未知时区 '{c.Zone}'"));
        }

        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > MaxNameLength)
        {
            return CommandResult<Community>.Refused(new Refusal(RefusalCode.InvalidArgument, "name", $"a community needs a name of 1–{MaxNameLength} characters", $"社区名称须为 1–{MaxNameLength} 个字符"));
        }

        if (store.Communities.FindById(c.Id.Value) is not null)
        {
            return CommandResult<Community>.Refused(new Refusal(RefusalCode.AlreadyExists, "id", $"community '{c.Id}' already exists", $"社区 '{c.Id}' 已存在"));
        }

        store.Communities.Insert(new CommunityDoc { Id = c.Id.Value, Name = c.Name, Zone = c.Zone });
        return CommandResult<Community>.Ok(new Community(c.Id, c.Name, zone));
    }

    public CommandResult<Resident> RegisterResident(RegisterResidentCommand c)
    {
        var payload = PayloadHash.Sha256(string.Join('\u001f', "resident", c.Community.Value, c.DisplayName) + (c.BirthYear is { } y ? "\u001f" + y : string.Empty));
        if (c.IdempotencyKey is { } key
            && Idempotency.Check(store, "resident:", key, payload, (IdempotencyDoc used) => LedgerMapping.ToResident(store.Residents.Require(used.Ref))) is { } replay)
        {
            return replay;
        }

        if (store.Communities.FindById(c.Community.Value) is null)
        {
            return CommandResult<Resident>.Refused(new Refusal(RefusalCode.UnknownCommunity, "communityId", $"no community '{c.Community}'", $"社区 '{c.Community}' 不存在"));
        }

        if (string.IsNullOrWhiteSpace(c.DisplayName) || c.DisplayName.Length > MaxNameLength)
        {
            return CommandResult<Resident>.Refused(new Refusal(RefusalCode.InvalidArgument, "displayName", $"a resident needs a display name of 1–{MaxNameLength} characters", $"居民姓名须为 1–{MaxNameLength} 个字符"));
        }

        if (store.Residents.FindById(c.Id.Value) is not null)
        {
            return CommandResult<Resident>.Refused(new Refusal(RefusalCode.AlreadyExists, "id", $"resident '{c.Id}' already exists", $"居民 '{c.Id}' 已存在"));
        }

        if (c.BirthYear is { } year && (year < 1900 || year > c.At.InUtc().Year))
        {
            return CommandResult<Resident>.Refused(new Refusal(RefusalCode.InvalidArgument, "birthYear", $"a birth year is 1900–{c.At.InUtc().Year}, found {year}", $"出生年份须在 1900–{c.At.InUtc().Year} 之间, 实为 {year}"));
        }

        var doc = new ResidentDoc { Id = c.Id.Value, Community = c.Community.Value, DisplayName = c.DisplayName, RegisteredAt = c.At.ToUnixTimeTicks(), BirthYear = c.BirthYear };
        store.Residents.Insert(doc);
        store.Accounts.Insert(new AccountDoc { Id = c.Id.Value, LastHash = LedgerKey.Genesis });
        if (c.IdempotencyKey is { } k)
        {
            Idempotency.Remember(store, "resident:" + k, payload, 0, c.Id.Value);
        }

        return CommandResult<Resident>.Ok(LedgerMapping.ToResident(doc));
    }

    public CommandResult<Resident> SetResidentStatus(SetResidentStatusCommand c)
    {
        if (store.Residents.FindById(c.Id.Value) is not { } doc)
        {
            return CommandResult<Resident>.Refused(LedgerMapping.UnknownResident(c.Id));
        }

        doc.Status = (int)c.Status;
        store.Residents.Update(doc);
        return CommandResult<Resident>.Ok(LedgerMapping.ToResident(doc));
    }

    /// <summary>The resident's zone and whether they may receive records; null zone when the resident is unknown.</summary>
    internal static (DateTimeZone Zone, bool? Active, int? BirthYear) ResidentContext(ILedgerStore store, ResidentId id, DateTimeZone fallback)
    {
        if (store.Residents.FindById(id.Value) is not { } resident)
        {
            return (fallback, null, null);
        }

        var zoneId = store.Communities.FindById(resident.Community)?.Zone;
        var zone = zoneId is null ? fallback : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? fallback;
        return (zone, resident.Status == (int)ResidentStatus.Active, resident.BirthYear);
    }

    private CommandResult<JournalEntry>? CheckKey(string scope, string key, string payloadHash) =>
        Idempotency.CheckEntry(store, scope, key, payloadHash);

    /// <summary>Writes a new entry at the end of the resident's chain, with its account and idempotency record.</summary>
    /// <summary>An entry the engine writes itself (redemption, expiry), keyed so it is written once.</summary>
    public JournalEntry SystemEntry(AccountDoc account, ResidentId resident, EntryKind kind, long points, Instant at, string by, string reason, string key) =>
        Append(account, new JournalEntry
        {
            Id = default,
            Resident = resident,
            Sequence = 0,
            Kind = kind,
            Points = points,
            OccurredAt = at,
            RecordedAt = at,
            RecordedBy = by,
            Reason = reason,
            IdempotencyKey = key,
            PreviousHash = string.Empty,
        }, "system:" + key, key);

    internal JournalEntry Append(AccountDoc account, JournalEntry draft, string scopedKey, string payloadHash)
    {
        var id = store.Next(NextEntryIdKey);
        var entry = draft with
        {
            Id = new EntryId(id),
            Sequence = account.Sequence + 1,
            PreviousHash = account.LastHash,
        };
        entry = entry with { Hash = ledgerKey.EntryHash(entry) };
        var ledgerHash = ledgerKey.LedgerHash(id > ledgerKey.KeyedFrom ? store.GetMetaText(LedgerHeadKey) : LedgerKey.Genesis, id, entry.Hash);
        store.SetMetaText(LedgerHeadKey, ledgerHash);
        store.Entries.Insert(new EntryDoc
        {
            LedgerHash = ledgerHash,
            Id = id,
            Resident = entry.Resident.Value,
            Sequence = entry.Sequence,
            Kind = (int)entry.Kind,
            OccurredAt = entry.OccurredAt.ToUnixTimeTicks(),
            Points = entry.Points,
            Json = JsonSerializer.Serialize(entry, JsonSetup.Options),
            Key = scopedKey,
            PayloadHash = payloadHash,
        });
        account.Sequence = entry.Sequence;
        account.LastHash = entry.Hash;
        store.Accounts.Update(account);
        return entry;
    }

    /// <summary>A positive entry opens its own lot, expiring by the catalog in force on the entry's date.</summary>
    internal void OpenLot(JournalEntry entry)
    {
        var zone = ResidentContext(store, entry.Resident, catalogs.Latest!.TimeZone).Zone;
        var catalog = catalogs.InForce(entry.OccurredAt.InZone(zone).Date) ?? catalogs.Latest!;
        _lots.Credit(entry.Id, entry.Resident, entry.Points, catalog.PointsExpiry.ExpiresAt(entry.OccurredAt, zone));
    }

    // A take from the available balance never goes below zero: the rest is recorded as uncovered, not owed. The lots
    // that gave the points are returned so a reversal can give them back.
    internal (long Applied, long Uncovered, List<LotAllocation> Lots) Take(AccountDoc account, ResidentId resident, long amount)
    {
        var applied = Math.Min(amount, account.Available);
        account.Available -= applied;
        return (-applied, amount - applied, applied > 0 ? _lots.Debit(resident, applied) : []);
    }
}

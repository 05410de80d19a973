using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Rules;
using LiteDB;
using NodaTime;

namespace Incentives.Storage;

/// <summary>
/// The LiteDB adapter: collections, indexes and the reads and writes the engine needs. Writes are made only by the
/// single writer thread inside its transaction, holding the write side of a reader/writer lock; every read from
/// another thread holds the read side (<see cref="Read{T}"/>). LiteDB 5 faults when a read overlaps a transaction
/// that creates a collection or reuses pages (LiteDB issues #2792, #2503, #2825: "page type must be collection page"),
/// and a read spanning two collections could see half of a batch; so reads never overlap the writer's transaction,
/// and every collection and index is created when the store opens, never lazily inside a batch.
/// </summary>
internal sealed class LiteStore : IEvaluationState, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly Func<LiteDatabase> _open;
    private ILiteCollection<MetaDoc> _meta = null!;
    private ILiteCollection<CounterDoc> _counters = null!;
    private ILiteCollection<OffenceDoc> _offences = null!;
    private ILiteCollection<ActDoc> _acts = null!;

    private LiteStore(Func<LiteDatabase> open, string? path)
    {
        _open = open;
        Path = path;
        Bind(open());
    }

    public LiteDatabase Database { get; private set; } = null!;

    /// <summary>Documents written and read for commands (counted by the port's methods).</summary>
    public StoreCounters Counters { get; } = new();

    /// <summary>The data file, or null for an in-memory store.</summary>
    public string? Path { get; }

    public ILiteCollection<CommunityDoc> Communities { get; private set; } = null!;

    public ILiteCollection<ResidentDoc> Residents { get; private set; } = null!;

    public ILiteCollection<AccountDoc> Accounts { get; private set; } = null!;

    public ILiteCollection<EntryDoc> Entries { get; private set; } = null!;

    public ILiteCollection<IdempotencyDoc> Keys { get; private set; } = null!;

    public ILiteCollection<ReversalDoc> Reversals { get; private set; } = null!;

    public ILiteCollection<CatalogDoc> Catalogs { get; private set; } = null!;

    public ILiteCollection<LotDoc> Lots { get; private set; } = null!;

    public ILiteCollection<StoreDoc> Stores { get; private set; } = null!;

    public ILiteCollection<ItemDoc> Items { get; private set; } = null!;

    public ILiteCollection<StockChangeDoc> StockChanges { get; private set; } = null!;

    public ILiteCollection<ReservationDoc> Reservations { get; private set; } = null!;

    public ILiteCollection<LoanDoc> Loans { get; private set; } = null!;

    public ILiteCollection<CreditRecordDoc> CreditRecords { get; private set; } = null!;

    public ILiteCollection<CreditAccountDoc> CreditAccounts { get; private set; } = null!;

    public ILiteCollection<ConsentEventDoc> Consents { get; private set; } = null!;

    public ILiteCollection<VolunteerHoursDoc> VolunteerHours { get; private set; } = null!;

    public ILiteCollection<EligibilityDoc> Eligibility { get; private set; } = null!;

    /// <summary>Raised when a read finds LiteDB faulted (LiteDB closes its engine when one of its own background
    /// writes fails, e.g. on a full disk): the writer then reopens the store.</summary>
    public event Action? Faulted;

    /// <summary>Runs a read that no write overlaps; reads may run together. A read that finds the store faulted is
    /// refused with <see cref="StoreUnavailableException"/> (and the writer is asked to reopen the store), never
    /// with LiteDB's own exception.</summary>
    public T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        catch (Exception e) when (IsFault(e))
        {
            Faulted?.Invoke();
            throw new StoreUnavailableException(StoreProblem.Unavailable, "the store is reopening after a fault (" + e.Message + "); retry shortly", e);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Whether an exception means the store itself failed (not a bug of the caller's).</summary>
    public static bool IsFault(Exception e) =>
        e is IOException or ObjectDisposedException or LiteException || e.Message.StartsWith("LiteDB ENSURE", StringComparison.Ordinal);

    /// <summary>Runs the writer's work (a batch's transaction, a checkpoint, a backup) with every reader held off.</summary>
    public T Exclusive<T>(Func<T> write)
    {
        _lock.EnterWriteLock();
        try
        {
            return write();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Closes the database and opens it again (after a fault closed LiteDB's engine). Holds readers off.</summary>
    public void Reopen() => Exclusive(() =>
    {
        try
        {
            Database.Dispose();
        }
        catch (Exception e) when (e is LiteException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A faulted engine may fail to close cleanly; the new instance replays LiteDB's own log.
        }

        Bind(_open());
        return 0;
    });

    private void Bind(LiteDatabase db)
    {
        Database = db;
        _meta = db.GetCollection<MetaDoc>("meta");
        Communities = db.GetCollection<CommunityDoc>("communities");
        Residents = db.GetCollection<ResidentDoc>("residents");
        Accounts = db.GetCollection<AccountDoc>("accounts");
        Entries = db.GetCollection<EntryDoc>("entries");
        _counters = db.GetCollection<CounterDoc>("counters");
        _offences = db.GetCollection<OffenceDoc>("offences");
        _acts = db.GetCollection<ActDoc>("acts");
        Keys = db.GetCollection<IdempotencyDoc>("idempotency");
        Reversals = db.GetCollection<ReversalDoc>("reversals");
        Catalogs = db.GetCollection<CatalogDoc>("catalogs");
        CreditRecords = db.GetCollection<CreditRecordDoc>("credit_records");
        CreditAccounts = db.GetCollection<CreditAccountDoc>("credit_accounts");
        Consents = db.GetCollection<ConsentEventDoc>("consents");
        VolunteerHours = db.GetCollection<VolunteerHoursDoc>("volunteer_hours");
        Eligibility = db.GetCollection<EligibilityDoc>("eligibility");
        Stores = db.GetCollection<StoreDoc>("stores");
        Items = db.GetCollection<ItemDoc>("items");
        StockChanges = db.GetCollection<StockChangeDoc>("stock_changes");
        Reservations = db.GetCollection<ReservationDoc>("reservations");
        Loans = db.GetCollection<LoanDoc>("loans");
        Lots = db.GetCollection<LotDoc>("lots");

        // Every collection exists from the start, none is created inside a batch. EnsureIndex below creates those it
        // indexes; the others get a placeholder inserted and deleted (LiteDB has no "create collection").
        foreach (var name in new[] { "meta", "communities", "accounts", "counters", "acts", "idempotency", "reversals", "catalogs", "credit_accounts", "eligibility", "stores", "stock_changes" })
        {
            if (!db.CollectionExists(name))
            {
                var collection = db.GetCollection(name);
                collection.Insert(new BsonDocument { ["_id"] = "__create" });
                collection.Delete("__create");
            }
        }

        Items.EnsureIndex(i => i.Store);
        Reservations.EnsureIndex(r => r.Code, unique: true);
        Reservations.EnsureIndex(r => r.Resident);
        Reservations.EnsureIndex(r => r.ExpiresAt);
        Loans.EnsureIndex(l => l.Reservation);
        Loans.EnsureIndex(l => l.Resident);
        Loans.EnsureIndex(l => l.DueAt);
        Lots.EnsureIndex(l => l.Resident);
        Lots.EnsureIndex(l => l.ExpiresAt);
        CreditRecords.EnsureIndex(c => c.Resident);
        CreditRecords.EnsureIndex(c => c.Entry);
        Consents.EnsureIndex(c => c.Resident);
        VolunteerHours.EnsureIndex(v => v.Resident);
        Entries.EnsureIndex(e => e.Resident);
        Entries.EnsureIndex(e => e.OccurredAt);
        _offences.EnsureIndex(o => o.Key);
        Residents.EnsureIndex(r => r.Community);
    }

    /// <summary>Takes the next number of a named sequence (inside the writer's transaction).</summary>
    public long Next(string sequence)
    {
        var value = GetMeta(sequence) + 1;
        SetMeta(sequence, value);
        return value;
    }

    public static LiteStore OpenFile(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        return new LiteStore(() => new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, new BsonMapper()), path);
    }

    public static LiteStore OpenMemory()
    {
        // An in-memory store cannot be reopened: its one stream is the whole database.
        var stream = new MemoryStream();
        return new LiteStore(() => new LiteDatabase(stream, new BsonMapper()), null);
    }

    public long GetMeta(string id) => _meta.FindById(id)?.Value ?? 0;

    public void SetMeta(string id, long value) => _meta.Upsert(new MetaDoc { Id = id, Value = value });

    public string GetMetaText(string id) => _meta.FindById(id)?.Text ?? string.Empty;

    public void SetMetaText(string id, string text) => _meta.Upsert(new MetaDoc { Id = id, Text = text });

    public long UsedBefore(ResidentId resident, string scope, PeriodKey period) =>
        _counters.FindById(CounterId(resident, scope, period))?.Used ?? 0;

    public void AddToCounter(ResidentId resident, string scope, PeriodKey period, long delta)
    {
        var id = CounterId(resident, scope, period);
        var doc = _counters.FindById(id) ?? new CounterDoc { Id = id };
        doc.Used = checked(doc.Used + delta);
        _counters.Upsert(doc);
    }

    public LocalDate? RelatedOffence(ResidentId resident, IndicatorCode indicator, LocalDate date, Period window)
    {
        var key = OffenceKey(resident, indicator);
        var day = DayNumber(date);
        var until = DayNumber(date.Plus(window));
        foreach (var o in _offences.Find(x => x.Key == key).OrderBy(x => x.Day))
        {
            // Stores older than Until: the old fixed window of one year.
            var oUntil = o.Until > 0 ? o.Until : DayNumber(FromDayNumber(o.Day).PlusYears(1));
            if ((o.Day <= day && day < oUntil) || (o.Day > day && o.Day < until))
            {
                return FromDayNumber(o.Day);
            }
        }

        return null;
    }

    public void AddOffence(EntryId entry, ResidentId resident, IndicatorCode indicator, LocalDate date, Period window) =>
        _offences.Insert(new OffenceDoc { Id = entry.Value, Key = OffenceKey(resident, indicator), Day = DayNumber(date), Until = DayNumber(date.Plus(window)) });

    public decimal ServiceHoursOn(ResidentId resident, LocalDate date) =>
        UsedBefore(resident, HoursScope, PeriodKey.Of(PeriodKind.Day, date)) / 100m;

    /// <summary>Counts (or, negative, uncounts) service hours of a local day, in hundredths.</summary>
    public void AddServiceHours(ResidentId resident, LocalDate date, decimal hours) =>
        AddToCounter(resident, HoursScope, PeriodKey.Of(PeriodKind.Day, date), (long)(hours * 100));

    public ActStanding? Act(ResidentId resident, string actId)
    {
        if (_acts.FindById(ActKey(resident, actId)) is not { Records.Count: > 0 } doc)
        {
            return null;
        }

        long points = 0;
        var credit = 0;
        var standing = doc.Records[0];
        foreach (var r in doc.Records)
        {
            points = checked(points + r.Paid);
            credit = checked(credit + r.PaidCredit);
            if (r.Paid > 0)
            {
                standing = r;
            }
        }

        return new ActStanding(points, credit, new EntryId(standing.Entry), new IndicatorCode(standing.Indicator));
    }

    /// <summary>The records of an act, oldest first (empty when none).</summary>
    public List<ActRecordDoc> ActRecords(ResidentId resident, string actId) => _acts.FindById(ActKey(resident, actId))?.Records ?? [];

    public void AddActRecord(ResidentId resident, string actId, ActRecordDoc record)
    {
        var doc = _acts.FindById(ActKey(resident, actId)) ?? new ActDoc { Id = ActKey(resident, actId) };
        doc.Records.Add(record);
        _acts.Upsert(doc);
    }

    public void RemoveActRecord(ResidentId resident, string actId, long entry)
    {
        if (_acts.FindById(ActKey(resident, actId)) is { } doc)
        {
            doc.Records.RemoveAll(r => r.Entry == entry);
            _acts.Upsert(doc);
        }
    }

    public void RemoveOffence(EntryId entry) => _offences.Delete(entry.Value);

    public static List<T> Evaluate<T>(ILiteCollection<T> collection, Specification<T> spec)
    {
        var query = Filter(collection, spec);
        if (spec.OrderBy is not null)
        {
            query = spec.Descending ? query.OrderByDescending(spec.OrderBy) : query.OrderBy(spec.OrderBy);
        }

        var result = query.Skip(spec.Skip);
        return spec.Take is { } take ? result.Limit(take).ToList() : result.ToList();
    }

    public static long Count<T>(ILiteCollection<T> collection, Specification<T> spec) => Filter(collection, spec).LongCount();

    public void Dispose()
    {
        Database.Dispose();
        _lock.Dispose();
    }

    // Dates as yyyymmdd integers: ordered like the dates and readable in a dump.
    internal static int DayNumber(LocalDate date) => (date.Year * 10000) + (date.Month * 100) + date.Day;

    private static ILiteQueryable<T> Filter<T>(ILiteCollection<T> collection, Specification<T> spec)
    {
        var query = collection.Query();
        foreach (var criterion in spec.Criteria)
        {
            query = query.Where(criterion);
        }

        return query;
    }

    private static string CounterId(ResidentId resident, string scope, PeriodKey period) => $"{resident.Value}|{scope}|{period.Value}";

    private const string HoursScope = "hours";

    internal static LocalDate FromDayNumber(int day) => new(day / 10000, day / 100 % 100, day % 100);

    private static string ActKey(ResidentId resident, string actId) => resident.Value + "|" + actId;

    private static string OffenceKey(ResidentId resident, IndicatorCode indicator) => $"{resident.Value}|{indicator.Value}";
}

using Incentives.Credit;
using Incentives.Governance;
using Incentives.Ledger;
using Incentives.Mall;
using LiteDB;

namespace Incentives.Storage.LiteDb;

/// <summary>
/// The LiteDB adapter of the store port: the only place LiteDB is named. Writes are made only by the single writer
/// thread inside its unit of work, holding the write side of a reader/writer lock; every read from another thread
/// holds the read side. LiteDB 5 faults when a read overlaps a transaction that creates a collection or reuses pages
/// (LiteDB issues #2792, #2503, #2825: "page type must be collection page"), and a read spanning two collections could
/// see half of a batch; so reads never overlap the writer's transaction, and every collection and index is created
/// when the store opens, never lazily inside a batch.
/// </summary>
internal sealed class LiteStore : IStore
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly Func<LiteDatabase> _open;
    private readonly LiteTable<MetaDoc, string> _meta;
    private readonly List<Action<LiteDatabase>> _binders = [];
    private readonly List<Action> _flushers = [];
    private readonly List<Action> _committers = [];
    private readonly List<Action> _forgetters = [];
    private readonly LiteTable<CommunityDoc, string> _communities;
    private readonly LiteTable<ResidentDoc, string> _residents;
    private readonly LiteTable<AccountDoc, string> _accounts;
    private readonly LiteTable<EntryDoc, long> _entries;
    private readonly LiteTable<ReversalDoc, long> _reversals;
    private readonly LiteTable<LotDoc, long> _lots;
    private readonly LiteTable<CatalogDoc, string> _catalogs;
    private readonly LiteTable<IdempotencyDoc, string> _keys;
    private readonly LiteTable<StoreDoc, string> _stores;
    private readonly LiteTable<ItemDoc, string> _items;
    private readonly LiteTable<StockChangeDoc, long> _stockChanges;
    private readonly LiteTable<ReservationDoc, long> _reservations;
    private readonly LiteTable<LoanDoc, long> _loans;
    private readonly LiteTable<CreditRecordDoc, long> _creditRecords;
    private readonly LiteTable<CreditAccountDoc, string> _creditAccounts;
    private readonly LiteTable<ConsentEventDoc, long> _consents;
    private readonly LiteTable<VolunteerHoursDoc, long> _hours;
    private readonly LiteTable<EligibilityDoc, string> _eligibility;
    private readonly LiteTable<GovernanceRecordDoc, long> _records;
    private readonly LiteTable<AppealDoc, long> _appeals;
    private readonly LiteTable<BudgetDoc, string> _budgets;
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private int _writerThread;

    private LiteStore(Func<LiteDatabase> open, string? path)
    {
        _open = open;
        Path = path;
        // Documents only the writer changes are cached across batches; the rest only within one.
        _meta = Table<MetaDoc, string>("meta", d => d.Id, cached: true, keep: true);
        _communities = Table<CommunityDoc, string>("communities", d => d.Id, cached: true, keep: true);
        _residents = Table<ResidentDoc, string>("residents", d => d.Id, cached: true, keep: true, residentOf: d => d.Id);
        _accounts = Table<AccountDoc, string>("accounts", d => d.Id, cached: true, keep: true, residentOf: d => d.Id);
        _entries = Table<EntryDoc, long>("entries", d => d.Id, cached: true, keep: false);
        _reversals = Table<ReversalDoc, long>("reversals", d => d.Id, cached: true, keep: false);
        _lots = Table<LotDoc, long>("lots", d => d.Id, cached: true, keep: false);
        _catalogs = Table<CatalogDoc, string>("catalogs", d => d.Id, cached: true, keep: false);
        _keys = Table<IdempotencyDoc, string>("idempotency", d => d.Id, cached: true, keep: false);
        _stores = Table<StoreDoc, string>("stores", d => d.Id, cached: true, keep: true);
        _items = Table<ItemDoc, string>("items", d => d.Id, cached: true, keep: true);
        _stockChanges = Table<StockChangeDoc, long>("stock_changes", d => d.Id, cached: false, keep: false);
        _reservations = Table<ReservationDoc, long>("reservations", d => d.Id, cached: true, keep: false);
        _loans = Table<LoanDoc, long>("loans", d => d.Id, cached: true, keep: false);
        _creditRecords = Table<CreditRecordDoc, long>("credit_records", d => d.Id, cached: true, keep: false, residentOf: d => d.Resident);
        _creditAccounts = Table<CreditAccountDoc, string>("credit_accounts", d => d.Id, cached: true, keep: true, residentOf: d => d.Id);
        _consents = Table<ConsentEventDoc, long>("consents", d => d.Id, cached: false, keep: false, residentOf: d => d.Resident); // auto ids
        _hours = Table<VolunteerHoursDoc, long>("volunteer_hours", d => d.Id, cached: true, keep: false, residentOf: d => d.Resident);
        _eligibility = Table<EligibilityDoc, string>("eligibility", d => d.Id, cached: false, keep: false);
        _records = Table<GovernanceRecordDoc, long>("governance_records", d => d.Id, cached: true, keep: false, residentOf: d => d.Resident);
        _appeals = Table<AppealDoc, long>("appeals", d => d.Id, cached: true, keep: false, residentOf: d => d.Resident);
        _budgets = Table<BudgetDoc, string>("budgets", d => d.Id, cached: true, keep: false);
        Bind(open());
    }

    public event Action? Faulted;

    public event Action<IReadOnlyCollection<string>?>? Committed;

    public LiteDatabase Database { get; private set; } = null!;

    public string? Path { get; }

    public StoreCounters Counters { get; } = new();

    public IDocumentTable<CommunityDoc, string> Communities => _communities;

    public IDocumentTable<ResidentDoc, string> Residents => _residents;

    public IDocumentTable<AccountDoc, string> Accounts => _accounts;

    public IDocumentTable<EntryDoc, long> Entries => _entries;

    public IDocumentTable<ReversalDoc, long> Reversals => _reversals;

    public IDocumentTable<LotDoc, long> Lots => _lots;

    public IDocumentTable<CatalogDoc, string> Catalogs => _catalogs;

    public IDocumentTable<IdempotencyDoc, string> Keys => _keys;

    public IDocumentTable<StoreDoc, string> Stores => _stores;

    public IDocumentTable<ItemDoc, string> Items => _items;

    public IDocumentTable<StockChangeDoc, long> StockChanges => _stockChanges;

    public IDocumentTable<ReservationDoc, long> Reservations => _reservations;

    public IDocumentTable<LoanDoc, long> Loans => _loans;

    public IDocumentTable<CreditRecordDoc, long> CreditRecords => _creditRecords;

    public IDocumentTable<CreditAccountDoc, string> CreditAccounts => _creditAccounts;

    public IDocumentTable<ConsentEventDoc, long> Consents => _consents;

    public IDocumentTable<VolunteerHoursDoc, long> VolunteerHours => _hours;

    public IDocumentTable<EligibilityDoc, string> Eligibility => _eligibility;

    public IDocumentTable<GovernanceRecordDoc, long> Records => _records;

    public IDocumentTable<AppealDoc, long> Appeals => _appeals;

    public IDocumentTable<BudgetDoc, string> Budgets => _budgets;

    public IReadOnlyList<GovernanceRecordDoc> PostingsDue(long ticks) =>
        _records.Query(c => c.Find(DueBy("$.DueAt", ticks)).OrderBy(r => r.DueAt).ThenBy(r => r.Id));

    public IReadOnlyList<GovernanceRecordDoc> RecordsOf(string community, IReadOnlyCollection<int> statuses, int limit) =>
        _records.Query(c => c.Find(r => r.Community == community).Where(r => statuses.Contains(r.Status)).OrderBy(r => r.Id).Take(limit));

    public IReadOnlyList<GovernanceRecordDoc> RecordsOfResident(string resident) =>
        _records.Query(c => c.Find(r => r.Resident == resident).OrderByDescending(r => r.Id));

    public GovernanceRecordDoc? RecordOfEntry(long entry) => _records.Query(c => c.Find(r => r.Entry == entry)).FirstOrDefault();

    public IReadOnlyList<AppealDoc> AppealsOf(string community, IReadOnlyCollection<int> statuses, int limit) =>
        _appeals.Query(c => c.Find(a => a.Community == community).Where(a => statuses.Contains(a.Status)).OrderBy(a => a.Id).Take(limit));

    public IReadOnlyList<AppealDoc> AppealsOfResident(string resident) =>
        _appeals.Query(c => c.Find(a => a.Resident == resident).OrderByDescending(a => a.Id));

    public IReadOnlyList<AppealDoc> AppealsOfTarget(string target) => _appeals.Query(c => c.Find(a => a.Target == target).OrderBy(a => a.Id));

    /// <summary>Whether this thread is the writer inside its unit of work (or replay, a checkpoint, a backup).</summary>
    internal bool InWriter => _writerThread == Environment.CurrentManagedThreadId;

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

    public T Exclusive<T>(Func<T> write)
    {
        _lock.EnterWriteLock();
        var outer = _writerThread;
        _writerThread = Environment.CurrentManagedThreadId;
        try
        {
            return write();
        }
        finally
        {
            _writerThread = outer;
            _lock.ExitWriteLock();
        }
    }

    public bool IsFault(Exception e) =>
        StoreFaults.IsFault(e) || e is LiteException || e.Message.StartsWith("LiteDB ENSURE", StringComparison.Ordinal);

    public void Begin() => Database.BeginTrans();

    public void Commit()
    {
        foreach (var flush in _flushers)
        {
            flush();
        }

        Database.Commit();
        foreach (var committed in _committers)
        {
            committed();
        }

        if (_touched.Count > 0)
        {
            var touched = _touched.ToList();
            _touched.Clear();
            Committed?.Invoke(touched);
        }
    }

    public void Rollback()
    {
        _touched.Clear();
        foreach (var forget in _forgetters)
        {
            forget();
        }

        Database.Rollback();
    }

    public void Checkpoint() => Database.Checkpoint();

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
        _touched.Clear();
        Committed?.Invoke(null);
        return 0;
    });

    public long GetMeta(string id) => _meta.FindById(id)?.Value ?? 0;

    public void SetMeta(string id, long value)
    {
        var doc = _meta.FindById(id) ?? new MetaDoc { Id = id };
        doc.Value = value;
        _meta.Upsert(doc);
    }

    public string GetMetaText(string id) => _meta.FindById(id)?.Text ?? string.Empty;

    public void SetMetaText(string id, string text)
    {
        var doc = _meta.FindById(id) ?? new MetaDoc { Id = id };
        doc.Text = text;
        _meta.Upsert(doc);
    }

    public long Next(string sequence)
    {
        var value = GetMeta(sequence) + 1;
        SetMeta(sequence, value);
        return value;
    }

    public IReadOnlyList<CommunityDoc> AllCommunities() => _communities.Query(c => c.FindAll().OrderBy(x => x.Id, StringComparer.Ordinal));

    public IReadOnlyList<ResidentDoc> FindResidents(string community, string prefix, int limit)
    {
        // Two indexed prefix scans (LiteSchema: community/id and community/name), merged; never the whole community.
        var key = community + "/" + prefix;
        var found = _residents.Query(c => c.Find(LiteDB.Query.StartsWith(LiteSchema.ResidentById, key), limit: limit));
        if (prefix.Length > 0)
        {
            found.AddRange(_residents.Query(c => c.Find(LiteDB.Query.StartsWith(LiteSchema.ResidentByName, key), limit: limit)));
        }

        var byId = new SortedDictionary<string, ResidentDoc>(StringComparer.Ordinal);
        foreach (var doc in found)
        {
            // The index compares without case; names must match exactly as typed, ids without case (as before).
            if (doc.Community == community && (doc.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || doc.DisplayName.StartsWith(prefix, StringComparison.Ordinal)))
            {
                byId[doc.Id] = doc;
            }
        }

        return byId.Values.Take(limit).ToList();
    }

    public IReadOnlyList<CatalogDoc> CatalogsInOrder() => _catalogs.Query(c => c.Query().OrderBy(x => x.Order).ToEnumerable());

    public EntryDoc? EntryByKey(string scopedKey) => _entries.Query(c => c.Find(e => e.Key == scopedKey)).FirstOrDefault();

    public IReadOnlyList<EntryDoc> EntriesOf(string resident) =>
        _entries.Query(c => c.Query().Where(e => e.Resident == resident).OrderBy(e => e.Sequence).ToEnumerable());

    public IEnumerable<EntryDoc> EntriesInIdOrder()
    {
        _entries.Flush();
        return _entries.Collection.Query().OrderBy(e => e.Id).ToEnumerable();
    }

    public IEnumerable<AccountDoc> AccountsInIdOrder()
    {
        _accounts.Flush();
        return _accounts.Collection.Query().OrderBy(a => a.Id).ToEnumerable();
    }

    public IReadOnlyList<EntryDoc> Query(Specification<EntryDoc> specification) => _entries.Query(c => Evaluate(c, specification));

    public long Count(Specification<EntryDoc> specification)
    {
        _entries.Flush();
        return Filter(_entries.Collection, specification).LongCount();
    }

    public IReadOnlyList<LotDoc> LotsOf(string resident) =>
        _lots.Query(c => c.Find(l => l.Resident == resident).OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id));

    public IReadOnlyList<LotDoc> SpendableLotsOf(string resident) =>
        _lots.Query(c => c.Find(l => l.Resident == resident && l.Remaining > 0).OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id));

    // A range from the smallest value seeks the index to the due documents and stops at the first not due, so the cost
    // depends on what is due, not on history ("<=" would walk the whole index). Closed documents are due at MaxValue.
    private static BsonExpression DueBy(string field, long ticks) => LiteDB.Query.Between(field, long.MinValue, ticks);

    public IReadOnlyList<LotDoc> LotsDue(long ticks) =>
        _lots.Query(c => c.Find(DueBy("$.DueAt", ticks)).OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id));

    public IReadOnlyList<ItemDoc> ItemsOf(string store) => _items.Query(c => c.Find(i => i.Store == store));

    public IEnumerable<ItemDoc> ItemsInIdOrder()
    {
        _items.Flush();
        return _items.Collection.Query().OrderBy(i => i.Id).ToEnumerable();
    }

    public IReadOnlyList<StockChangeDoc> StockChangesOf(string item) => _stockChanges.Query(c => c.Find(s => s.Item == item).OrderBy(s => s.Id));

    public ReservationDoc? ReservationByCode(string storeAndCode) => _reservations.Query(c => c.Find(r => r.Code == storeAndCode)).FirstOrDefault();

    public IReadOnlyList<ReservationDoc> ReservationsOf(string resident) =>
        _reservations.Query(c => c.Find(r => r.Resident == resident).OrderByDescending(r => r.Id));

    public IReadOnlyList<ReservationDoc> HoldsDue(long ticks) => _reservations.Query(c => c.Find(DueBy("$.HoldUntil", ticks)).OrderBy(r => r.Id));

    public IReadOnlyList<LoanDoc> LoansOfReservation(long reservation) => _loans.Query(c => c.Find(l => l.Reservation == reservation));

    public IReadOnlyList<LoanDoc> LoansOf(string resident) => _loans.Query(c => c.Find(l => l.Resident == resident).OrderByDescending(l => l.Id));

    public IReadOnlyList<LoanDoc> LoansDue(long ticks) => _loans.Query(c => c.Find(DueBy("$.CheckAt", ticks)).OrderBy(l => l.Id));

    public IReadOnlyList<CreditRecordDoc> CreditRecordsOf(string resident) => _creditRecords.Query(c => c.Find(r => r.Resident == resident).OrderBy(r => r.Id));

    public CreditRecordDoc? CreditRecordOfEntry(long entry) => _creditRecords.Query(c => c.Find(r => r.Entry == entry)).FirstOrDefault();

    public ConsentEventDoc? LatestConsent(string resident, long ticks) =>
        _consents.Query(c => c.Find(e => e.Resident == resident && e.At <= ticks).OrderBy(e => e.Id)).LastOrDefault();

    public IReadOnlyList<ConsentEventDoc> ConsentsOf(string resident) => _consents.Query(c => c.Find(e => e.Resident == resident).OrderBy(e => e.Id));

    public IReadOnlyList<VolunteerHoursDoc> HoursOf(string resident) => _hours.Query(c => c.Find(v => v.Resident == resident));

    public void Dispose()
    {
        Database.Dispose();
        _lock.Dispose();
    }

    private static List<T> Evaluate<T>(ILiteCollection<T> collection, Specification<T> spec)
    {
        var query = Filter(collection, spec);
        if (spec.OrderBy is not null)
        {
            query = spec.Descending ? query.OrderByDescending(spec.OrderBy) : query.OrderBy(spec.OrderBy);
        }

        var result = query.Skip(spec.Skip);
        return spec.Take is { } take ? result.Limit(take).ToList() : result.ToList();
    }

    private static ILiteQueryable<T> Filter<T>(ILiteCollection<T> collection, Specification<T> spec)
    {
        var query = collection.Query();
        foreach (var criterion in spec.Criteria)
        {
            query = query.Where(criterion);
        }

        return query;
    }

    /// <summary>A document the writer wrote belongs to this resident (for the read caches).</summary>
    internal void Touched(string resident) => _touched.Add(resident);

    private LiteTable<TDoc, TKey> Table<TDoc, TKey>(string name, Func<TDoc, TKey> id, bool cached, bool keep, Func<TDoc, string>? residentOf = null)
        where TDoc : class
        where TKey : notnull
    {
        var table = new LiteTable<TDoc, TKey>(this, name, id, cached, keep, residentOf);
        _binders.Add(table.Bind);
        _flushers.Add(table.Flush);
        _committers.Add(table.Committed);
        _forgetters.Add(table.Forget);
        return table;
    }

    private void Bind(LiteDatabase db)
    {
        Database = db;
        foreach (var bind in _binders)
        {
            bind(db);
        }

        LiteSchema.Prepare(db);
    }
}

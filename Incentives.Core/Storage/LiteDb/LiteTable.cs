using LiteDB;

namespace Incentives.Storage.LiteDb;

/// <summary>
/// One LiteDB collection behind <see cref="IDocumentTable{TDoc,TKey}"/>. On the writer thread a cached table keeps an
/// identity map: a document read or written in the batch is not read again, and each changed document is written
/// once, when the batch commits (so an award that touches its account three times writes it once). Tables whose
/// documents only the writer changes keep the map across batches (a write-through cache: the writer never reads
/// back what it wrote). Before a query, the table's pending writes are flushed, so queries see the batch. Reads from
/// other threads go straight to LiteDB and see committed documents only.
/// </summary>
internal sealed class LiteTable<TDoc, TKey> : IDocumentTable<TDoc, TKey>
    where TDoc : class
    where TKey : notnull
{
    private const int MaxCached = 50_000;

    private readonly LiteStore _store;
    private readonly Func<TDoc, TKey> _id;
    private readonly bool _cached;
    private readonly bool _keepAcrossBatches;
    private readonly Dictionary<TKey, TDoc?> _map = [];
    private readonly Dictionary<TKey, TDoc> _dirty = [];
    private readonly HashSet<TKey> _deleted = [];
    private readonly Func<TDoc, string>? _residentOf;

    public LiteTable(LiteStore store, string name, Func<TDoc, TKey> id, bool cached, bool keepAcrossBatches, Func<TDoc, string>? residentOf = null)
    {
        _residentOf = residentOf;
        _store = store;
        Name = name;
        _id = id;
        _cached = cached;
        _keepAcrossBatches = keepAcrossBatches;
    }

    public string Name { get; }

    public ILiteCollection<TDoc> Collection { get; private set; } = null!;

    private bool Mapped => _cached && _store.InWriter;

    public void Bind(LiteDatabase db)
    {
        Collection = db.GetCollection<TDoc>(Name);
        Forget();
    }

    public TDoc? FindById(TKey id)
    {
        if (Mapped && _map.TryGetValue(id, out var known))
        {
            return known;
        }

        var doc = Collection.FindById(new BsonValue(id));
        if (_store.InWriter)
        {
            _store.Counters.Looked();
            if (_cached)
            {
                _map[id] = doc;
            }
        }

        return doc;
    }

    public void Insert(TDoc doc) => Write(doc, insert: true);

    public void InsertBulk(IEnumerable<TDoc> docs)
    {
        if (Mapped)
        {
            foreach (var doc in docs)
            {
                Write(doc, insert: true);
            }

            return;
        }

        var list = docs as IReadOnlyCollection<TDoc> ?? docs.ToList();
        _store.Counters.Wrote(Collection.InsertBulk(list));
        foreach (var doc in list)
        {
            Touched(doc);
        }
    }

    public void Update(TDoc doc) => Write(doc, insert: false);

    public void Upsert(TDoc doc) => Write(doc, insert: false);

    public bool Delete(TKey id)
    {
        if (!Mapped)
        {
            _store.Counters.Wrote();
            return Collection.Delete(new BsonValue(id));
        }

        var existed = FindById(id) is not null;
        _map[id] = null;
        _dirty.Remove(id);
        _deleted.Add(id);
        return existed;
    }

    public long Count()
    {
        Flush();
        return Collection.LongCount();
    }

    /// <summary>Writes the batch's pending changes (before a query, and at commit).</summary>
    public void Flush()
    {
        if (_dirty.Count == 0 && _deleted.Count == 0)
        {
            return;
        }

        foreach (var id in _deleted)
        {
            Collection.Delete(new BsonValue(id));
        }

        foreach (var doc in _dirty.Values)
        {
            Collection.Upsert(doc);
            Touched(doc);
        }

        _store.Counters.Wrote(_dirty.Count + _deleted.Count);
        _dirty.Clear();
        _deleted.Clear();
    }

    /// <summary>After a commit: keep the map for the next batch (bounded), or forget it.</summary>
    public void Committed()
    {
        if (!_keepAcrossBatches || _map.Count > MaxCached)
        {
            _map.Clear();
        }
    }

    /// <summary>After a rollback or a reopen: nothing cached may outlive it.</summary>
    public void Forget()
    {
        _map.Clear();
        _dirty.Clear();
        _deleted.Clear();
    }

    /// <summary>Runs a query after flushing this table's pending writes; results come back through the identity map,
    /// so a document the batch already holds is the same object.</summary>
    public List<TDoc> Query(Func<ILiteCollection<TDoc>, IEnumerable<TDoc>> query)
    {
        if (!_store.InWriter)
        {
            return query(Collection).ToList();
        }

        Flush();
        _store.Counters.Looked();
        var found = query(Collection).ToList();
        if (!_cached)
        {
            return found;
        }

        for (var i = 0; i < found.Count; i++)
        {
            var id = _id(found[i]);
            if (_map.TryGetValue(id, out var known) && known is not null)
            {
                found[i] = known;
            }
            else
            {
                _map[id] = found[i];
            }
        }

        return found;
    }

    private void Touched(TDoc doc)
    {
        if (_residentOf is not null && _store.InWriter)
        {
            _store.Touched(_residentOf(doc));
        }
    }

    private void Write(TDoc doc, bool insert)
    {
        if (!Mapped)
        {
            _store.Counters.Wrote();
            if (insert)
            {
                Collection.Insert(doc);
            }
            else
            {
                Collection.Upsert(doc);
            }

            Touched(doc);
            return;
        }

        var id = _id(doc);
        _map[id] = doc;
        _deleted.Remove(id);
        _dirty[id] = doc;
    }
}

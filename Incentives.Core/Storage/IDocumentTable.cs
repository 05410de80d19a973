namespace Incentives.Storage;

/// <summary>
/// One kind of stored document, by id: the store port's smallest piece. The writer's unit of work keeps what it reads
/// and writes in an identity map and writes each changed document once, when the batch commits; reads from other
/// threads see only committed documents.
/// </summary>
/// <typeparam name="TDoc">The document type (a plain class of the capability that owns it).</typeparam>
/// <typeparam name="TKey">Its id type (string or long).</typeparam>
internal interface IDocumentTable<TDoc, in TKey>
    where TDoc : class
{
    TDoc? FindById(TKey id);

    void Insert(TDoc doc);

    void InsertBulk(IEnumerable<TDoc> docs);

    void Update(TDoc doc);

    void Upsert(TDoc doc);

    bool Delete(TKey id);

    long Count();
}

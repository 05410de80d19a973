using Incentives.Storage;

namespace Incentives.Ledger;

/// <summary>What the ledger needs from storage: communities, residents and accounts, the journal, reversals, lots,
/// catalogs and the idempotency records of commands whose result is not an entry.</summary>
internal interface ILedgerStore
{
    IDocumentTable<CommunityDoc, string> Communities { get; }

    IDocumentTable<ResidentDoc, string> Residents { get; }

    IDocumentTable<AccountDoc, string> Accounts { get; }

    IDocumentTable<EntryDoc, long> Entries { get; }

    IDocumentTable<ReversalDoc, long> Reversals { get; }

    IDocumentTable<LotDoc, long> Lots { get; }

    IDocumentTable<CatalogDoc, string> Catalogs { get; }

    IDocumentTable<IdempotencyDoc, string> Keys { get; }

    IReadOnlyList<CommunityDoc> AllCommunities();

    /// <summary>Residents of a community whose id or display name starts with <paramref name="prefix"/> (an empty prefix
    /// matches all), in id order, at most <paramref name="limit"/>; answered from indexes, so the cost depends on the
    /// matches, not on the size of the community.</summary>
    IReadOnlyList<ResidentDoc> FindResidents(string community, string prefix, int limit);

    IReadOnlyList<CatalogDoc> CatalogsInOrder();

    /// <summary>The entry made under a scoped idempotency key ("award:k1"), or null.</summary>
    EntryDoc? EntryByKey(string scopedKey);

    /// <summary>A resident's entries in journal order (by sequence).</summary>
    IReadOnlyList<EntryDoc> EntriesOf(string resident);

    /// <summary>Every entry by id (streamed).</summary>
    IEnumerable<EntryDoc> EntriesInIdOrder();

    /// <summary>Every account by id (streamed).</summary>
    IEnumerable<AccountDoc> AccountsInIdOrder();

    IReadOnlyList<EntryDoc> Query(Specification<EntryDoc> specification);

    long Count(Specification<EntryDoc> specification);

    /// <summary>A resident's lots, soonest expiry first (ties by id).</summary>
    IReadOnlyList<LotDoc> LotsOf(string resident);

    /// <summary>A resident's lots with points remaining, soonest expiry first (ties by id).</summary>
    IReadOnlyList<LotDoc> SpendableLotsOf(string resident);

    /// <summary>Lots whose expiry is due at or before <paramref name="ticks"/> and not yet run, soonest first.</summary>
    IReadOnlyList<LotDoc> LotsDue(long ticks);
}

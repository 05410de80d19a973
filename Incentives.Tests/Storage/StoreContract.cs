using FsCheck;
using FsCheck.Xunit;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Storage;
using Incentives.Storage.LiteDb;
using Incentives.Tests.Ledger;

namespace Incentives.Tests.Storage;

/// <summary>
/// The store contract: every method of the port (<see cref="IStore"/> and its capability views) and the ledger's
/// invariants run against one adapter. A second adapter (PostgreSQL, later) derives from this class and passes it.
/// Methods that change documents run as the writer does — inside <see cref="IStore.Exclusive{T}"/> and a unit of
/// work — and the tests also check what a reader on another thread sees.
/// </summary>
public abstract class StoreContract : IDisposable
{
    private readonly List<IStore> _opened = [];

    internal abstract IStore Open(IncentivesOptions options);

    protected virtual bool CanReopen => true;

    [Fact]
    public void Tables_FindInsertUpdateUpsertDeleteCount_InsideAUnitOfWork_AreCommittedTogether()
    {
        var store = NewStore();

        Write(store, () =>
        {
            store.Communities.Insert(new CommunityDoc { Id = "c1", Name = "一", Zone = "Asia/Shanghai" });
            store.Communities.InsertBulk([new CommunityDoc { Id = "c2", Name = "二", Zone = "Asia/Shanghai" }, new CommunityDoc { Id = "c3", Name = "三", Zone = "UTC" }]);
            var c2 = store.Communities.FindById("c2")!;
            c2.Name = "二改";
            store.Communities.Update(c2);
            store.Communities.Upsert(new CommunityDoc { Id = "c4", Name = "四", Zone = "UTC" });
            Assert.True(store.Communities.Delete("c3"));
            Assert.False(store.Communities.Delete("none"));
        });

        Assert.Equal(["c1", "c2", "c4"], store.Read(() => store.AllCommunities().Select(c => c.Id).ToList()));
        Assert.Equal("二改", store.Read(() => store.Communities.FindById("c2")!.Name));
        Assert.Equal(3, store.Read(() => store.Communities.Count()));
        Assert.Null(store.Read(() => store.Communities.FindById("c3")));
    }

    [Fact]
    public void Rollback_DiscardsTheBatch_AndForgetsWhatTheWriterCachedOfIt()
    {
        var store = NewStore();
        Write(store, () => store.Accounts.Insert(new AccountDoc { Id = "r1", Available = 10 }));

        store.Exclusive(() =>
        {
            store.Begin();
            var account = store.Accounts.FindById("r1")!;
            account.Available = 99;
            store.Accounts.Update(account);
            store.Entries.Insert(new EntryDoc { Id = 1, Resident = "r1", Sequence = 1, Json = "{}" });
            store.Rollback();
            return 0;
        });

        Assert.Equal(10, store.Exclusive(() => store.Accounts.FindById("r1")!.Available));
        Assert.Equal(10, store.Read(() => store.Accounts.FindById("r1")!.Available));
        Assert.Null(store.Read(() => store.Entries.FindById(1)));
    }

    [Fact]
    public void Writer_SeesItsOwnPendingWrites_InLookupsAndQueries_AsOneObjectPerDocument()
    {
        var store = NewStore();

        var (same, spendable, sameInQuery) = store.Exclusive(() =>
        {
            store.Begin();
            var lot = new LotDoc { Id = 1, Resident = "r1", Original = 5, Remaining = 5, ExpiresAt = 100, DueAt = 100 };
            store.Lots.Insert(lot);
            var result = (ReferenceEquals(store.Lots.FindById(1), lot), store.SpendableLotsOf("r1").Count, ReferenceEquals(store.SpendableLotsOf("r1")[0], lot));
            store.Commit();
            return result;
        });

        Assert.Equal((true, 1, true), (same, spendable, sameInQuery));
        Assert.Single(store.Read(() => store.LotsOf("r1")));
    }

    [Fact]
    public void LedgerQueries_AnswerInTheirDocumentedOrder()
    {
        var store = NewStore();
        Write(store, () =>
        {
            store.Residents.Insert(new ResidentDoc { Id = "r2", Community = "c", DisplayName = "张三" });
            store.Residents.Insert(new ResidentDoc { Id = "r1", Community = "c", DisplayName = "李四" });
            store.Residents.Insert(new ResidentDoc { Id = "q9", Community = "c", DisplayName = "r 先生" });
            store.Residents.Insert(new ResidentDoc { Id = "x", Community = "other" });
            store.Accounts.Insert(new AccountDoc { Id = "r2" });
            store.Accounts.Insert(new AccountDoc { Id = "r1" });
            store.Catalogs.Insert(new CatalogDoc { Id = "h2", Order = 2, Canonical = [2] });
            store.Catalogs.Insert(new CatalogDoc { Id = "h1", Order = 1, Canonical = [1] });
            store.Entries.Insert(new EntryDoc { Id = 2, Resident = "r1", Sequence = 2, Kind = 0, OccurredAt = 20, Points = 3, Json = "{}", Key = "award:b", PayloadHash = "p2" });
            store.Entries.Insert(new EntryDoc { Id = 1, Resident = "r1", Sequence = 1, Kind = 1, OccurredAt = 10, Points = -1, Json = "{}", Key = "award:a", PayloadHash = "p1" });
            store.Entries.Insert(new EntryDoc { Id = 3, Resident = "r2", Sequence = 1, Kind = 0, OccurredAt = 30, Points = 2, Json = "{}" });
            store.Lots.Insert(new LotDoc { Id = 7, Resident = "r1", Original = 3, Remaining = 0, ExpiresAt = 50, DueAt = long.MaxValue, Expired = true });
            store.Lots.Insert(new LotDoc { Id = 8, Resident = "r1", Original = 3, Remaining = 3, ExpiresAt = 40, DueAt = 40 });
            store.Lots.Insert(new LotDoc { Id = 9, Resident = "r1", Original = 3, Remaining = 3, ExpiresAt = 40, DueAt = 40 });
        });

        store.Read(() =>
        {
            Assert.Equal(["q9", "r1", "r2"], store.FindResidents("c", "", 50).Select(r => r.Id));
            Assert.Equal(["q9", "r1", "r2"], store.FindResidents("c", "r", 50).Select(r => r.Id)); // q9 by its name
            Assert.Equal(["r1", "r2"], store.FindResidents("c", "R", 50).Select(r => r.Id)); // ids without case, names exactly
            Assert.Equal(["r2"], store.FindResidents("c", "张", 50).Select(r => r.Id));
            Assert.Equal(["r1"], store.FindResidents("c", "r1", 50).Select(r => r.Id));
            Assert.Equal(["q9"], store.FindResidents("c", "", 1).Select(r => r.Id));
            Assert.Empty(store.FindResidents("c", "x", 50));
            Assert.Equal(["x"], store.FindResidents("other", "", 50).Select(r => r.Id));
            Assert.Equal(["h1", "h2"], store.CatalogsInOrder().Select(c => c.Id));
            Assert.Equal(2, store.EntryByKey("award:b")!.Id);
            Assert.Equal("p1", store.EntryByKey("award:a")!.PayloadHash);
            Assert.Null(store.EntryByKey("award:none"));
            Assert.Equal([1L, 2L], store.EntriesOf("r1").Select(e => e.Id));
            Assert.Equal([1L, 2L, 3L], store.EntriesInIdOrder().Select(e => e.Id));
            Assert.Equal(["r1", "r2"], store.AccountsInIdOrder().Select(a => a.Id));
            Assert.Equal([2L], store.Query(new StatementSpecification(new StatementQuery(new ResidentId("r1"), PageSize: 1))).Select(e => e.Id));
            Assert.Equal(2, store.Count(new StatementSpecification(new StatementQuery(new ResidentId("r1")), paged: false)));
            Assert.Equal([1L], store.Query(new StatementSpecification(new StatementQuery(new ResidentId("r1"), Kind: EntryKind.Deduction))).Select(e => e.Id));
            Assert.Equal([8L, 9L, 7L], store.LotsOf("r1").Select(l => l.Id));
            Assert.Equal([8L, 9L], store.SpendableLotsOf("r1").Select(l => l.Id));
            Assert.Equal([8L, 9L], store.LotsDue(40).Select(l => l.Id));
            Assert.Empty(store.LotsDue(39));
            return 0;
        });
    }

    [Fact]
    public void MallQueries_AnswerInTheirDocumentedOrder()
    {
        var store = NewStore();
        Write(store, () =>
        {
            store.Stores.Insert(new StoreDoc { Id = "s", Community = "c", Name = "店" });
            store.Items.Insert(new ItemDoc { Id = "s|B", Store = "s", Json = "{}" });
            store.Items.Insert(new ItemDoc { Id = "s|A", Store = "s", Json = "{}" });
            store.Items.Insert(new ItemDoc { Id = "t|A", Store = "t", Json = "{}" });
            store.StockChanges.Insert(new StockChangeDoc { Id = 2, Item = "s|A", Json = "{}" });
            store.StockChanges.Insert(new StockChangeDoc { Id = 1, Item = "s|A", Json = "{}" });
            store.Reservations.Insert(new ReservationDoc { Id = 1, Code = "s|AAAAAA", Resident = "r1", ExpiresAt = 10, HoldUntil = 10, Json = "{}" });
            store.Reservations.Insert(new ReservationDoc { Id = 2, Code = "s|BBBBBB", Resident = "r1", ExpiresAt = 20, HoldUntil = long.MaxValue, Json = "{}" });
            store.Loans.Insert(new LoanDoc { Id = 1, Reservation = 1, Resident = "r1", Open = true, DueAt = 5, CheckAt = 5, Json = "{}" });
            store.Loans.Insert(new LoanDoc { Id = 2, Reservation = 2, Resident = "r1", Open = false, DueAt = 6, CheckAt = long.MaxValue, Json = "{}" });
        });

        store.Read(() =>
        {
            Assert.Equal(["s|A", "s|B"], store.ItemsOf("s").Select(i => i.Id).Order(StringComparer.Ordinal));
            Assert.Equal(["s|A", "s|B", "t|A"], store.ItemsInIdOrder().Select(i => i.Id));
            Assert.Equal([1L, 2L], store.StockChangesOf("s|A").Select(c => c.Id));
            Assert.Equal(2, store.ReservationByCode("s|BBBBBB")!.Id);
            Assert.Null(store.ReservationByCode("s|CCCCCC"));
            Assert.Equal([2L, 1L], store.ReservationsOf("r1").Select(r => r.Id));
            Assert.Equal([1L], store.HoldsDue(15).Select(r => r.Id));
            Assert.Equal([2L], store.LoansOfReservation(2).Select(l => l.Id));
            Assert.Equal([2L, 1L], store.LoansOf("r1").Select(l => l.Id));
            Assert.Equal([1L], store.LoansDue(5).Select(l => l.Id));
            return 0;
        });
    }

    [Fact]
    public void CreditQueries_AnswerInTheirDocumentedOrder()
    {
        var store = NewStore();
        Write(store, () =>
        {
            store.CreditRecords.Insert(new CreditRecordDoc { Id = 2, Resident = "r1", Entry = 9, Json = "{}" });
            store.CreditRecords.Insert(new CreditRecordDoc { Id = 1, Resident = "r1", Entry = 0, Json = "{}" });
            store.CreditAccounts.Upsert(new CreditAccountDoc { Id = "r1", Score = 1050, Tier = "AAA" });
            store.Consents.Insert(new ConsentEventDoc { Resident = "r1", Granted = true, At = 10, By = "a" });
            store.Consents.Insert(new ConsentEventDoc { Resident = "r1", Granted = false, At = 20, By = "b" });
            store.VolunteerHours.Insert(new VolunteerHoursDoc { Id = 5, Resident = "r1", Json = "{}" });
            store.Eligibility.InsertBulk([new EligibilityDoc { Id = "EL-1", Json = "{}" }]);
        });

        store.Read(() =>
        {
            Assert.Equal([1L, 2L], store.CreditRecordsOf("r1").Select(c => c.Id));
            Assert.Equal(2, store.CreditRecordOfEntry(9)!.Id);
            Assert.Equal("AAA", store.CreditAccounts.FindById("r1")!.Tier);
            Assert.True(store.LatestConsent("r1", 15)!.Granted);
            Assert.False(store.LatestConsent("r1", 25)!.Granted);
            Assert.Null(store.LatestConsent("r1", 5));
            Assert.Single(store.HoursOf("r1"));
            Assert.NotNull(store.Eligibility.FindById("EL-1"));
            return 0;
        });
    }

    [Fact]
    public void Meta_SequencesAndTexts_SurviveACheckpointAndAReopen()
    {
        var store = NewStore();
        Write(store, () =>
        {
            Assert.Equal(1, store.Next("seq"));
            Assert.Equal(2, store.Next("seq"));
            store.SetMeta("n", 42);
            store.SetMetaText("t", "head");
        });

        store.Exclusive(() =>
        {
            store.Checkpoint();
            return 0;
        });
        if (CanReopen)
        {
            store.Reopen();
        }

        Assert.Equal((2L, 42L, "head", 0L), store.Read(() => (store.GetMeta("seq"), store.GetMeta("n"), store.GetMetaText("t"), store.GetMeta("none"))));
    }

    [Fact]
    public void Counters_CountWhatTheWriterWroteAndLookedUp()
    {
        var store = NewStore();
        var before = (store.Counters.DocumentsWritten, store.Counters.Lookups);

        Write(store, () =>
        {
            store.Accounts.Insert(new AccountDoc { Id = "r1" });
            var account = store.Accounts.FindById("r1")!; // from the identity map: no lookup
            account.Available = 5;
            store.Accounts.Update(account);
            store.Accounts.Update(account); // one document, written once at commit
            _ = store.Residents.FindById("none");
        });

        Assert.Equal((before.DocumentsWritten + 1, before.Lookups + 1), (store.Counters.DocumentsWritten, store.Counters.Lookups));
    }

    [Property(MaxTest = 100)]
    public Property Engine_OnThisAdapter_KeepsConservationOfValue() => ConservationProperties.Holds(Open);

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private IStore NewStore()
    {
        var path = CanReopen ? Path.Combine(Path.GetTempPath(), "incentives-contract-" + Guid.NewGuid().ToString("N"), "store.db") : null;
        var store = Open(new IncentivesOptions { DatabasePath = path });
        _opened.Add(store);
        return store;
    }

    private static void Write(IStore store, Action change) => store.Exclusive(() =>
    {
        store.Begin();
        change();
        store.Commit();
        return 0;
    });
}

/// <summary>The store contract on the LiteDB adapter, on a file.</summary>
public sealed class LiteDbStoreContractTests : StoreContract
{
    internal override IStore Open(IncentivesOptions options) =>
        options.DatabasePath is { } path ? LiteStore.OpenFile(path) : LiteStore.OpenMemory();
}

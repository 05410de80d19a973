using Incentives.Storage.LiteDb;
using LiteDB;

namespace Incentives.Tests.Storage;

/// <summary>Layout 1 (counters, offences, acts and every idempotency key in collections of their own; no "due"
/// fields) is migrated to layout 2 when the store opens, once.</summary>
public sealed class LiteSchemaTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "incentives-schema-" + Guid.NewGuid().ToString("N"), "incentives.db");

    [Theory]
    [InlineData(LiteSchema.ResidentById, "c/r19")]
    [InlineData(LiteSchema.ResidentByName, "c/名19")]
    [InlineData("$.HoldUntil", null)]
    [InlineData("$.DueAt", null)]
    [InlineData("$.CheckAt", null)]
    public void Searches_AndDueWork_SeekAnIndex_NeverScanTheCollection(string expression, string? prefix)
    {
        using var db = new LiteDatabase(new MemoryStream());
        LiteSchema.Prepare(db);
        var collection = db.GetCollection(expression switch { "$.HoldUntil" => "reservations", "$.DueAt" => "lots", "$.CheckAt" => "loans", _ => "residents" });
        var query = prefix is null ? LiteDB.Query.Between(expression, long.MinValue, 100L) : LiteDB.Query.StartsWith(expression, prefix);

        var plan = collection.Query().Where(query).Limit(50).GetPlan();

        // SEEK and RANGE SCAN start at the first match and stop after the last; a plain "INDEX SCAN" or a full scan
        // would walk every document or index node, so their cost would grow with history.
        var mode = plan["index"]["mode"].AsString;
        Assert.True(mode.StartsWith("INDEX SEEK", StringComparison.Ordinal) || mode.StartsWith("INDEX RANGE SCAN", StringComparison.Ordinal), mode);
    }

    [Fact]
    public void Open_ALayoutOneFile_MovesCountersOffencesActsAndEntryKeysAndSetsTheDueFields()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (var db = new LiteDatabase(new ConnectionString { Filename = _path, Connection = ConnectionType.Direct }))
        {
            db.GetCollection("accounts").Insert(new BsonDocument { ["_id"] = "r1", ["Available"] = 5L, ["Sequence"] = 1L, ["LastHash"] = "h" });
            db.GetCollection("entries").Insert(new BsonDocument { ["_id"] = 1L, ["Resident"] = "r1", ["Sequence"] = 1L, ["Json"] = "{}" });
            db.GetCollection("idempotency").Insert(new BsonDocument { ["_id"] = "award:k1", ["PayloadHash"] = "p", ["EntryId"] = 1L, ["Ref"] = string.Empty });
            db.GetCollection("idempotency").Insert(new BsonDocument { ["_id"] = "reserve:k2", ["PayloadHash"] = "q", ["EntryId"] = 3L, ["Ref"] = string.Empty });
            db.GetCollection("counters").Insert(new BsonDocument { ["_id"] = "r1|FAM-04|2026-11", ["Used"] = 4L });
            db.GetCollection("offences").Insert(new BsonDocument { ["_id"] = 1L, ["Key"] = "r1|CIV-05", ["Day"] = 20261101, ["Until"] = 0 });
            db.GetCollection("acts").Insert(new BsonDocument { ["_id"] = "r1|clean-up", ["Records"] = new BsonArray { new BsonDocument { ["Entry"] = 1L, ["Indicator"] = "ENV-02", ["Paid"] = 3L, ["PaidCredit"] = 0 } } });
            db.GetCollection("lots").Insert(new BsonDocument { ["_id"] = 1L, ["Resident"] = "r1", ["ExpiresAt"] = 99L, ["Expired"] = false });
            db.GetCollection("reservations").Insert(new BsonDocument { ["_id"] = 1L, ["Code"] = "s|A", ["Status"] = 1, ["ExpiresAt"] = 50L });
            db.GetCollection("loans").Insert(new BsonDocument { ["_id"] = 1L, ["Open"] = true, ["Flagged"] = false, ["DueAt"] = 70L });
        }

        using var store = LiteStore.OpenFile(_path);

        var (account, entry, lot, reservation, loan, reserveKey) = store.Read(() => (store.Accounts.FindById("r1")!, store.EntryByKey("award:k1"), store.Lots.FindById(1)!,
            store.Reservations.FindById(1)!, store.Loans.FindById(1)!, store.Keys.FindById("reserve:k2")));
        Assert.Equal(4, account.Counters["FAM-04|2026-11"]);
        Assert.Equal((1L, "CIV-05", 20261101, 20271101), (account.Offences[0].Entry, account.Offences[0].Indicator, account.Offences[0].Day, account.Offences[0].Until));
        Assert.Equal(("clean-up", 3L), (account.Acts[0].Id, account.Acts[0].Records[0].Paid));
        Assert.Equal((1L, "p"), (entry!.Id, entry.PayloadHash));
        Assert.Null(store.Read(() => store.Keys.FindById("award:k1")));
        Assert.NotNull(reserveKey);
        Assert.Equal((99L, long.MaxValue, 70L), (lot.DueAt, reservation.HoldUntil, loan.CheckAt));
        Assert.False(store.Database.CollectionExists("counters") || store.Database.CollectionExists("offences") || store.Database.CollectionExists("acts"));
    }

    public void Dispose()
    {
        if (Directory.Exists(Path.GetDirectoryName(_path)))
        {
            Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
        }
    }
}

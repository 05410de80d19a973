using LiteDB;

namespace Incentives.Storage.LiteDb;

/// <summary>
/// Every collection and index, created when the store opens (never lazily inside a batch), and the one migration of
/// the data layout: version 2 keeps cap counters, offences and acts inside the resident's account, the idempotency key
/// of an entry on the entry itself, and "due" fields (set to never once done) so due work costs only what is due.
/// </summary>
internal static class LiteSchema
{
    public const int Version = 2;
    private const string VersionKey = "schemaVersion";
    private const long Never = long.MaxValue;

    private static readonly string[] Collections =
    [
        "meta", "communities", "residents", "accounts", "entries", "reversals", "lots", "catalogs", "idempotency", "stores",
        "items", "stock_changes", "reservations", "loans", "credit_records", "credit_accounts", "consents", "volunteer_hours", "eligibility",
        "governance_records", "appeals", "budgets",
    ];

    private static readonly string[] Legacy = ["counters", "offences", "acts"];

    private static readonly string[] EntryScopes = ["award:", "reverse:", "adjust:", "system:"];

    /// <summary>The expression of the index of residents by community and id, for prefix search (LiteDB's planner
    /// picks an index by its expression, so queries name this, not the index).</summary>
    public const string ResidentById = "$.Community + '/' + $._id";

    /// <summary>The expression of the index of residents by community and display name, for prefix search.</summary>
    public const string ResidentByName = "$.Community + '/' + $.DisplayName";

    public static void Prepare(LiteDatabase db)
    {
        foreach (var name in Collections.Where(n => !db.CollectionExists(n)))
        {
            // LiteDB has no "create collection": a placeholder makes it.
            var collection = db.GetCollection(name);
            collection.Insert(new BsonDocument { ["_id"] = "__create" });
            collection.Delete("__create");
        }

        Index(db, "residents", "Community");
        db.GetCollection("residents").EnsureIndex("CommunityId", ResidentById);
        db.GetCollection("residents").EnsureIndex("CommunityName", ResidentByName);
        Index(db, "entries", "Resident", "OccurredAt", "Key");
        Index(db, "lots", "Resident", "DueAt");
        db.GetCollection("reservations").EnsureIndex("Code", "$.Code", unique: true);
        Index(db, "reservations", "Resident", "HoldUntil");
        Index(db, "loans", "Reservation", "Resident", "CheckAt");
        Index(db, "items", "Store");
        Index(db, "stock_changes", "Item");
        Index(db, "credit_records", "Resident", "Entry");
        Index(db, "consents", "Resident");
        Index(db, "volunteer_hours", "Resident");
        Index(db, "governance_records", "Community", "Resident", "DueAt", "Entry");
        Index(db, "appeals", "Community", "Resident", "Target");

        var meta = db.GetCollection("meta");
        var version = meta.FindById(VersionKey)?["Value"].AsInt64 ?? 0;
        if (version < Version)
        {
            db.BeginTrans();
            MigrateToVersion2(db);
            meta.Upsert(new BsonDocument { ["_id"] = VersionKey, ["Value"] = (long)Version, ["Text"] = string.Empty });
            db.Commit();
        }

        // Outside the migration's transaction (LiteDB drops no collection inside one); a crash before this leaves only
        // empty-handed leftovers, dropped at the next open.
        foreach (var legacy in Legacy.Where(db.CollectionExists))
        {
            db.DropCollection(legacy);
        }
    }

    private static void Index(LiteDatabase db, string collection, params string[] fields)
    {
        foreach (var field in fields)
        {
            db.GetCollection(collection).EnsureIndex(field, "$." + field);
        }
    }

    // Layout 1 kept counters, offences and acts in collections of their own, and every idempotency key apart.
    private static void MigrateToVersion2(LiteDatabase db)
    {
        var accounts = db.GetCollection("accounts");
        var changed = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        BsonDocument? Account(string id)
        {
            if (!changed.TryGetValue(id, out var doc) && accounts.FindById(id) is { } found)
            {
                changed[id] = doc = found;
            }

            return doc;
        }

        if (db.CollectionExists("counters"))
        {
            foreach (var c in db.GetCollection("counters").FindAll())
            {
                var id = c["_id"].AsString;
                var bar = id.IndexOf('|', StringComparison.Ordinal);
                if (bar > 0 && Account(id[..bar]) is { } account)
                {
                    var counters = account["Counters"].IsDocument ? account["Counters"].AsDocument : new BsonDocument();
                    counters[id[(bar + 1)..]] = c["Used"].AsInt64;
                    account["Counters"] = counters;
                }
            }

        }

        if (db.CollectionExists("offences"))
        {
            foreach (var o in db.GetCollection("offences").FindAll())
            {
                var key = o["Key"].AsString;
                var bar = key.IndexOf('|', StringComparison.Ordinal);
                if (bar > 0 && Account(key[..bar]) is { } account)
                {
                    var day = o["Day"].AsInt32;
                    var until = o["Until"].IsNumber && o["Until"].AsInt32 > 0 ? o["Until"].AsInt32 : day + 10000; // the old fixed year
                    var list = account["Offences"].IsArray ? account["Offences"].AsArray : new BsonArray();
                    list.Add(new BsonDocument { ["Entry"] = o["_id"].AsInt64, ["Indicator"] = key[(bar + 1)..], ["Day"] = day, ["Until"] = until });
                    account["Offences"] = list;
                }
            }

        }

        if (db.CollectionExists("acts"))
        {
            foreach (var a in db.GetCollection("acts").FindAll())
            {
                var key = a["_id"].AsString;
                var bar = key.IndexOf('|', StringComparison.Ordinal);
                if (bar > 0 && Account(key[..bar]) is { } account)
                {
                    var list = account["Acts"].IsArray ? account["Acts"].AsArray : new BsonArray();
                    list.Add(new BsonDocument { ["_id"] = key[(bar + 1)..], ["Records"] = a["Records"] }); // BsonMapper keeps an "Id" property as _id, nested too
                    account["Acts"] = list;
                }
            }

        }

        foreach (var account in changed.Values)
        {
            accounts.Update(account);
        }

        var entries = db.GetCollection("entries");
        var keys = db.GetCollection("idempotency");
        foreach (var key in keys.FindAll().ToList())
        {
            var id = key["_id"].AsString;
            if (EntryScopes.Any(s => id.StartsWith(s, StringComparison.Ordinal)) && entries.FindById(key["EntryId"]) is { } entry)
            {
                entry["Key"] = id;
                entry["PayloadHash"] = key["PayloadHash"];
                entries.Update(entry);
                keys.Delete(key["_id"]);
            }
        }

        SetDue(db.GetCollection("lots"), "DueAt", d => d["Expired"].AsBoolean ? Never : d["ExpiresAt"].AsInt64);
        SetDue(db.GetCollection("reservations"), "HoldUntil", d => d["Status"].AsInt32 == 0 ? d["ExpiresAt"].AsInt64 : Never);
        SetDue(db.GetCollection("loans"), "CheckAt", d => d["Open"].AsBoolean && !d["Flagged"].AsBoolean ? d["DueAt"].AsInt64 : Never);
    }

    private static void SetDue(ILiteCollection<BsonDocument> collection, string field, Func<BsonDocument, long> due)
    {
        foreach (var doc in collection.FindAll().Where(d => !d.ContainsKey(field)).ToList())
        {
            doc[field] = due(doc);
            collection.Update(doc);
        }
    }
}

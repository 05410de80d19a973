using LiteDB;
using NodaTime;

namespace Incentives.Api.Security;

internal sealed class ApiKeyDoc
{
    public string Id { get; set; } = string.Empty;

    public string Hash { get; set; } = string.Empty;

    public int Role { get; set; }

    public string Scope { get; set; } = string.Empty;

    public bool Revoked { get; set; }
}

internal sealed class CardDoc
{
    public string Id { get; set; } = string.Empty;

    public string Resident { get; set; } = string.Empty;

    public string PinHash { get; set; } = string.Empty;

    public int Failures { get; set; }

    public long LockedUntil { get; set; }
}

internal sealed class IdNumberDoc
{
    public string Id { get; set; } = string.Empty;

    public string Resident { get; set; } = string.Empty;
}

internal sealed class AccessDoc
{
    public long Id { get; set; }

    public string Key { get; set; } = string.Empty;

    public string Role { get; set; } = string.Empty;

    public string Resident { get; set; } = string.Empty;

    public string What { get; set; } = string.Empty;

    public long At { get; set; }
}

/// <summary>
/// The API's own small store (<c>api.db</c>): API keys (hashed), kiosk cards (PIN hashes, lock-out), the HMACs of
/// ID numbers, and the access log. Low volume, so writes simply take a lock: LiteDB loses read→update races.
/// </summary>
internal sealed class ApiStore : IDisposable
{
    private readonly LiteDatabase _db;
    private readonly Lock _write = new();

    public ApiStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(dataDirectory, "api.db"), Connection = ConnectionType.Direct }, new BsonMapper());
        Keys = _db.GetCollection<ApiKeyDoc>("keys");
        Cards = _db.GetCollection<CardDoc>("cards");
        IdNumbers = _db.GetCollection<IdNumberDoc>("id_numbers");
        Access = _db.GetCollection<AccessDoc>("access_log");
        Responses = _db.GetCollection<Idempotency.StoredResponse>("idempotent_responses");
        Keys.EnsureIndex(k => k.Hash, unique: true);
        Access.EnsureIndex(a => a.Resident);
    }

    public ILiteCollection<ApiKeyDoc> Keys { get; }

    public ILiteCollection<CardDoc> Cards { get; }

    public ILiteCollection<IdNumberDoc> IdNumbers { get; }

    public ILiteCollection<AccessDoc> Access { get; }

    /// <summary>First responses to requests with an Idempotency-Key, replayed to retries.</summary>
    public ILiteCollection<Idempotency.StoredResponse> Responses { get; }

    public T Write<T>(Func<T> change)
    {
        lock (_write)
        {
            return change();
        }
    }

    public (string Id, string Key) CreateKey(Role role, string scope)
    {
        var key = Secrets.NewKey();
        var id = "key_" + Secrets.HashKey(key)[..12];
        Write(() => Keys.Insert(new ApiKeyDoc { Id = id, Hash = Secrets.HashKey(key), Role = (int)role, Scope = scope }));
        return (id, key);
    }

    public void LogAccess(Caller caller, string resident, string what, Instant at) =>
        Write(() => Access.Insert(new AccessDoc { Key = caller.KeyId, Role = caller.Role.ToString(), Resident = resident, What = what, At = at.ToUnixTimeTicks() }));

    /// <summary>Whether the first start delivered its keys (wrote <c>demo-keys.json</c> or <c>admin.key</c>). Kept in
    /// api.db so it travels with it into backups and restores.</summary>
    public bool KeysDelivered
    {
        get => _db.GetCollection("flags").FindById("keysDelivered") is not null;
        set => Write(() => value
            ? _db.GetCollection("flags").Upsert(new BsonDocument { ["_id"] = "keysDelivered" })
            : _db.GetCollection("flags").Delete("keysDelivered"));
    }

    /// <summary>Writes LiteDB's log into the data file (before a copy is taken). Call inside <see cref="Write{T}"/>.</summary>
    public void Checkpoint() => _db.Checkpoint();

    public void Dispose() => _db.Dispose();
}

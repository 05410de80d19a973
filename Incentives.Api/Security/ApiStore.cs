using System.Collections.Concurrent;
using System.Threading.Channels;
using Incentives.Api.Hosting;
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

/// <summary>A staff member's account (<see cref="StaffAccounts"/>): the person, their role and community, and the
/// password lock-out, kept as a kiosk card keeps its PIN's.</summary>
internal sealed class StaffDoc
{
    /// <summary>The login id, e.g. <c>east-recorder</c>.</summary>
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public StaffRole StaffRole { get; set; }

    /// <summary>The community id: the member's scope.</summary>
    public string Community { get; set; } = string.Empty;

    /// <summary><see cref="Secrets.HashPassword"/>'s form; never the password.</summary>
    public string PasswordHash { get; set; } = string.Empty;

    public int Failures { get; set; }

    /// <summary>Unix ticks; in the past when not locked.</summary>
    public long LockedUntil { get; set; }

    public bool Disabled { get; set; }
}

internal sealed class IdNumberDoc
{
    public string Id { get; set; } = string.Empty;

    public string Resident { get; set; } = string.Empty;
}

/// <summary>A finished spreadsheet import (issue 14), by community and the file's SHA-256: a re-upload of the same file
/// answers <see cref="Result"/> (JSON of the import's answer, without PINs) and writes nothing.</summary>
internal sealed class ImportDoc
{
    /// <summary><c>{community}:{sha256}</c>.</summary>
    public string Id { get; set; } = string.Empty;

    public string Community { get; set; } = string.Empty;

    public string FileName { get; set; } = string.Empty;

    public string By { get; set; } = string.Empty;

    public long At { get; set; }

    public string Result { get; set; } = string.Empty;
}

/// <summary>A goods picture (商品图片), named by the SHA-256 of its bytes: the same bytes uploaded twice are one
/// picture, and a name never changes its content, so it may be cached for ever.</summary>
internal sealed class PictureDoc
{
    /// <summary>64 lowercase hex digits: the SHA-256 of <see cref="Bytes"/>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>image/jpeg, image/png or image/webp, as read from the bytes (never the uploader's claim).</summary>
    public string ContentType { get; set; } = string.Empty;

    public byte[] Bytes { get; set; } = [];

    /// <summary>Who uploaded it first (a key id or a staff id).</summary>
    public string By { get; set; } = string.Empty;

    /// <summary>Unix ticks of the first upload.</summary>
    public long At { get; set; }
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
/// The API's own small store (<c>api.db</c>): API keys (hashed), kiosk cards (PIN hashes, lock-out), staff accounts
/// (password hashes, lock-out), the HMACs of ID numbers, goods pictures, idempotent responses and the access log.
/// </summary>
/// <remarks>
/// LiteDB 5 loses read→update races between threads, and a read on one thread while another writes can fault and close
/// the engine. So every read goes through <see cref="Read{T}"/> and every write through <see cref="Write{T}"/>, under
/// one reader/writer lock: reads run together, never beside a write. Every collection and index is created at open, so
/// no write creates one while a reader looks. Keys are also held in memory by hash (<see cref="FindKey"/>), loaded at
/// open and updated by <see cref="CreateKey"/> and <see cref="RevokeKey"/>: a request never touches the database to
/// learn who is calling. Access-log rows are queued (<see cref="LogAccess"/>) and written in batches by
/// <see cref="FlushAccessLog"/>, which <see cref="AccessLogWriter"/> calls every 200 ms and <see cref="Dispose"/> calls
/// once more, so a clean stop loses none. Thread-safe.
/// </remarks>
internal sealed class ApiStore : IDisposable
{
    /// <summary>Rows per access-log transaction.</summary>
    public const int AccessBatch = 500;

    // Past this many queued rows a request writes the queue itself: back-pressure, never a lost row.
    private const int AccessQueueCapacity = 100_000;

    private readonly LiteDatabase _db;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly ConcurrentDictionary<string, Caller> _keys = new(StringComparer.Ordinal);
    private readonly Channel<AccessDoc> _access = Channel.CreateBounded<AccessDoc>(new BoundedChannelOptions(AccessQueueCapacity) { SingleReader = false });
    private readonly Lock _flush = new();
    private readonly List<AccessDoc> _pending = new(AccessBatch);
    private bool _disposed;

    public ApiStore(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        FileModes.PrivateDirectory(dataDirectory);
        _db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(dataDirectory, "api.db"), Connection = ConnectionType.Direct }, new BsonMapper());
        Keys = _db.GetCollection<ApiKeyDoc>("keys");
        Cards = _db.GetCollection<CardDoc>("cards");
        IdNumbers = _db.GetCollection<IdNumberDoc>("id_numbers");
        ResidentProfiles = _db.GetCollection<ResidentProfileDoc>("resident_profiles");
        Staff = _db.GetCollection<StaffDoc>("staff");
        Access = _db.GetCollection<AccessDoc>("access_log");
        Responses = _db.GetCollection<Idempotency.StoredResponse>("idempotent_responses");
        Imports = _db.GetCollection<ImportDoc>("imports");
        Pictures = _db.GetCollection<PictureDoc>("pictures");
        // Each EnsureIndex also creates its collection: nothing is created lazily inside a later write.
        Keys.EnsureIndex(k => k.Hash, unique: true);
        Cards.EnsureIndex(c => c.Resident);
        IdNumbers.EnsureIndex(i => i.Resident);
        ResidentProfiles.EnsureIndex(p => p.Community);
        Staff.EnsureIndex(m => m.Community);
        Access.EnsureIndex(a => a.Resident);
        Responses.EnsureIndex(r => r.At);
        Imports.EnsureIndex(i => i.Community);
        Pictures.EnsureIndex(p => p.At);
        if (!_db.CollectionExists("flags"))
        {
            // LiteDB has no "create collection": a placeholder makes it, so no later write creates it lazily.
            _db.GetCollection("flags").Insert(new BsonDocument { ["_id"] = "__create" });
            _db.GetCollection("flags").Delete("__create");
        }
        foreach (var key in Keys.Find(k => !k.Revoked))
        {
            _keys[key.Hash] = new Caller(key.Id, (Role)key.Role, key.Scope);
        }

        // LiteDB's own files (api.db, api-log.db) and those made before this version: owner only.
        FileModes.PrivateFiles(dataDirectory);
    }

    /// <summary>The data folder.</summary>
    public string DataDirectory { get; }

    public ILiteCollection<ApiKeyDoc> Keys { get; }

    public ILiteCollection<CardDoc> Cards { get; }

    public ILiteCollection<IdNumberDoc> IdNumbers { get; }

    /// <summary>Residents' contact details (building, grid, phone) by resident id: here and not in the ledger, so they
    /// can be corrected and erased (<see cref="Security.ResidentProfiles"/>).</summary>
    public ILiteCollection<ResidentProfileDoc> ResidentProfiles { get; }

    /// <summary>Staff accounts by login id; read and written through <see cref="StaffAccounts"/>.</summary>
    public ILiteCollection<StaffDoc> Staff { get; }

    public ILiteCollection<AccessDoc> Access { get; }

    /// <summary>First responses to requests with an Idempotency-Key, replayed to retries.</summary>
    public ILiteCollection<Idempotency.StoredResponse> Responses { get; }

    /// <summary>Spreadsheet imports done, by community and file hash (<see cref="ImportDoc"/>).</summary>
    public ILiteCollection<ImportDoc> Imports { get; }

    /// <summary>Goods pictures by their SHA-256 (<see cref="PictureDoc"/>); backed up with the rest of api.db.</summary>
    public ILiteCollection<PictureDoc> Pictures { get; }

    /// <summary>Runs a read of the collections; reads run together but never beside a write.</summary>
    public T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Runs a change (reads included) alone: read→update sequences are atomic.</summary>
    public T Write<T>(Func<T> change)
    {
        _lock.EnterWriteLock();
        try
        {
            return change();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The caller a key stands for, from memory; null for an unknown or revoked key.</summary>
    public Caller? FindKey(string key) => _keys.TryGetValue(Secrets.HashKey(key), out var caller) ? caller : null;

    public (string Id, string Key) CreateKey(Role role, string scope)
    {
        var key = Secrets.NewKey();
        var hash = Secrets.HashKey(key);
        var id = "key_" + hash[..12];
        Write(() =>
        {
            Keys.Insert(new ApiKeyDoc { Id = id, Hash = hash, Role = (int)role, Scope = scope });
            _keys[hash] = new Caller(id, role, scope);
            return 0;
        });
        return (id, key);
    }

    /// <summary>Revokes a key at once: the next request with it is a 401.</summary>
    /// <returns>False when there is no key with this id.</returns>
    public bool RevokeKey(string id) => Write(() =>
    {
        if (Keys.FindById(id) is not { } doc)
        {
            return false;
        }

        doc.Revoked = true;
        Keys.Update(doc);
        _keys.TryRemove(doc.Hash, out _);
        return true;
    });

    public CardDoc? FindCard(string cardNumber) => Read(() => Cards.FindById(cardNumber));

    public string? ResidentOfIdNumber(string idHash) => Read(() => IdNumbers.FindById(idHash)?.Resident);

    /// <summary>Queues an access-log row; it is written within 200 ms, and before the store closes.</summary>
    public void LogAccess(Caller caller, string resident, string what, Instant at)
    {
        var row = new AccessDoc { Key = caller.KeyId, Role = caller.Role.ToString(), Resident = resident, What = what, At = at.ToUnixTimeTicks() };
        while (!_access.Writer.TryWrite(row))
        {
            FlushAccessLog();
        }
    }

    /// <summary>Writes every queued access-log row, <see cref="AccessBatch"/> rows per transaction.</summary>
    /// <returns>How many rows were written.</returns>
    public int FlushAccessLog()
    {
        var written = 0;
        lock (_flush)
        {
            while (true)
            {
                // A batch that failed to write stays in _pending and is written first next time.
                while (_pending.Count < AccessBatch && _access.Reader.TryRead(out var row))
                {
                    _pending.Add(row);
                }

                if (_pending.Count == 0)
                {
                    return written;
                }

                // Inserting many documents is one transaction in LiteDB.
                written += Write(() => Access.Insert(_pending));
                _pending.Clear();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        FlushAccessLog();
        Write(() =>
        {
            _db.Dispose();
            return 0;
        });
        _lock.Dispose();
    }

    /// <summary>Whether the first start delivered its keys (wrote <c>demo-keys.json</c> or <c>admin.key</c>). Kept in
    /// api.db so it travels with it into backups and restores.</summary>
    public bool KeysDelivered
    {
        get => Read(() => _db.GetCollection("flags").FindById("keysDelivered") is not null);
        set => Write(() => value
            ? _db.GetCollection("flags").Upsert(new BsonDocument { ["_id"] = "keysDelivered" })
            : _db.GetCollection("flags").Delete("keysDelivered"));
    }

    /// <summary>Writes LiteDB's log into the data file (before a copy is taken). Call inside <see cref="Write{T}"/>.</summary>
    public void Checkpoint() => _db.Checkpoint();

}

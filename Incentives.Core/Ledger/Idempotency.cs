using Incentives.Rules;
using Incentives.Storage;

namespace Incentives.Ledger;

/// <summary>Caller-supplied idempotency keys, scoped per command kind: a replay returns the original result, the same
/// key with another payload is a conflict, and a missing or oversized key is refused. A journal entry carries its own
/// key (one document, not two); other results (reservations, credit records, residents, stock changes) are recorded
/// in the store's idempotency records.</summary>
internal static class Idempotency
{
    public const int MaxKeyLength = 200;

    public static CommandResult<T>? Check<T>(IStore store, string scope, string key, string payloadHash, Func<long, T> load)
        where T : class => Check(store, scope, key, payloadHash, (IdempotencyDoc used) => load(used.EntryId));

    public static CommandResult<T>? Check<T>(IStore store, string scope, string key, string payloadHash, Func<IdempotencyDoc, T> load)
        where T : class
    {
        if (Malformed<T>(key) is { } refused)
        {
            return refused;
        }

        return store.Keys.FindById(scope + key) is not { } used ? null
            : used.PayloadHash != payloadHash ? Conflict<T>()
            : CommandResult<T>.Ok(load(used), replayed: true);
    }

    /// <summary>For commands whose result is a journal entry: the entry made under the key, if any.</summary>
    public static CommandResult<JournalEntry>? CheckEntry(ILedgerStore store, string scope, string key, string payloadHash)
    {
        if (Malformed<JournalEntry>(key) is { } refused)
        {
            return refused;
        }

        return store.EntryByKey(scope + key) is not { } entry ? null
            : entry.PayloadHash != payloadHash ? Conflict<JournalEntry>()
            : CommandResult<JournalEntry>.Ok(LedgerMapping.ToEntry(entry), replayed: true);
    }

    public static void Remember(IStore store, string scopedKey, string payloadHash, long id, string reference = "") =>
        store.Keys.Insert(new IdempotencyDoc { Id = scopedKey, PayloadHash = payloadHash, EntryId = id, Ref = reference });

    private static CommandResult<T>? Malformed<T>(string key)
        where T : class =>
        string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength
            ? CommandResult<T>.Refused(new Refusal(RefusalCode.InvalidArgument, "idempotencyKey",
                $"an idempotency key of 1–{MaxKeyLength} characters is required", $"须提供 1–{MaxKeyLength} 个字符的幂等键"))
            : null;

    private static CommandResult<T> Conflict<T>()
        where T : class =>
        CommandResult<T>.Refused(new Refusal(RefusalCode.IdempotencyConflict, "idempotencyKey",
            "this idempotency key was used with a different request", "该幂等键已用于另一请求"));
}

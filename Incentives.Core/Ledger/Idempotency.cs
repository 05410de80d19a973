using Incentives.Rules;
using Incentives.Storage;

namespace Incentives.Ledger;

/// <summary>Caller-supplied idempotency keys, scoped per command kind: a replay returns the original result, the same
/// key with another payload is a conflict, and a missing or oversized key is refused.</summary>
internal static class Idempotency
{
    public const int MaxKeyLength = 200;

    public static CommandResult<T>? Check<T>(LiteStore store, string scope, string key, string payloadHash, Func<long, T> load)
        where T : class => Check(store, scope, key, payloadHash, (IdempotencyDoc used) => load(used.EntryId));

    public static CommandResult<T>? Check<T>(LiteStore store, string scope, string key, string payloadHash, Func<IdempotencyDoc, T> load)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength)
        {
            return CommandResult<T>.Refused(new Refusal(RefusalCode.InvalidArgument, "idempotencyKey",
                $"an idempotency key of 1–{MaxKeyLength} characters is required", $"须提供 1–{MaxKeyLength} 个字符的幂等键"));
        }

        if (store.Keys.FindById(scope + key) is not { } used)
        {
            return null;
        }

        return used.PayloadHash != payloadHash
            ? CommandResult<T>.Refused(new Refusal(RefusalCode.IdempotencyConflict, "idempotencyKey",
                "this idempotency key was used with a different request", "该幂等键已用于另一请求"))
            : CommandResult<T>.Ok(load(used), replayed: true);
    }

    public static void Remember(LiteStore store, string scopedKey, string payloadHash, long id, string reference = "") =>
        store.Keys.Insert(new IdempotencyDoc { Id = scopedKey, PayloadHash = payloadHash, EntryId = id, Ref = reference });
}

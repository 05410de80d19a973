using System.Security.Cryptography;
using System.Text;
using Incentives.Api.Security;
using NodaTime;

namespace Incentives.Api.Idempotency;

/// <summary>
/// Makes every write route safe to retry. For a route declaring <see cref="IdempotencyPolicy.Required"/> or
/// <see cref="IdempotencyPolicy.Honoured"/>, a request carrying <c>Idempotency-Key</c> is answered once: its first
/// successful (2xx) response is stored under the caller's key id and the key, and a retry gets that status, body and
/// <c>Location</c> again with <c>Idempotent-Replayed: true</c> — also after the reservation it created was fulfilled
/// or cancelled. The same key with another request (method, path, resident session or body) is a 409. Refusals are
/// not stored: a refused request may be retried with the same key once its cause is fixed. Concurrent retries of one
/// key wait for the first. The engine also keys each command by caller and key, so a retry after a crash between
/// the engine's commit and this store still applies once.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 128;

    // Striped gates: a retry waits for the request with the same key; unrelated keys rarely share a stripe.
    private static readonly SemaphoreSlim[] Gates = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task InvokeAsync(HttpContext context, ApiStore store, IClock clock)
    {
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<IdempotencyMetadata>()?.Policy;
        if (policy is not (IdempotencyPolicy.Required or IdempotencyPolicy.Honoured) || context.Items[typeof(Caller)] is not Caller caller)
        {
            await next(context);
            return;
        }

        var key = context.Request.Headers[KeyHeader].ToString();
        if (key.Length == 0)
        {
            if (policy == IdempotencyPolicy.Required)
            {
                await Problems.Write(context, Problems.BadRequest(KeyHeader,
                    $"{context.Request.Method} {context.Request.Path} needs an Idempotency-Key header: a retry without one could apply the request twice"));
                return;
            }

            await next(context);
            return;
        }

        if (key.Length > MaxKeyLength || !key.All(c => c is > ' ' and < (char)127))
        {
            await Problems.Write(context, Problems.BadRequest(KeyHeader, $"an Idempotency-Key is 1–{MaxKeyLength} visible ASCII characters"));
            return;
        }

        var id = caller.KeyId + "|" + key;
        var fingerprint = await Fingerprint(context, caller);
        var gate = Gates[(int)(unchecked((uint)StringComparer.Ordinal.GetHashCode(id)) % (uint)Gates.Length)];
        await gate.WaitAsync(context.RequestAborted);
        try
        {
            if (store.Read(() => store.Responses.FindById(id)) is { } stored)
            {
                if (stored.Fingerprint != fingerprint)
                {
                    await Problems.Write(context, Problems.Conflict(KeyHeader, "idempotency-conflict",
                        "this Idempotency-Key was used with a different request", "该幂等键已用于另一请求"));
                    return;
                }

                await Replay(context, stored);
                return;
            }

            await RunAndStore(context, store, id, fingerprint, clock);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task RunAndStore(HttpContext context, ApiStore store, string id, string fingerprint, IClock clock)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var status = context.Response.StatusCode;
        if (status is >= 200 and < 300)
        {
            context.Response.Headers.TryAdd(ReplayedHeader, "false");
            var response = new StoredResponse
            {
                Id = id,
                Fingerprint = fingerprint,
                Status = status,
                ContentType = context.Response.ContentType,
                Location = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                Body = buffer.ToArray(),
                At = clock.GetCurrentInstant().ToUnixTimeTicks(),
            };
            store.Write(() => store.Responses.Upsert(response));
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task Replay(HttpContext context, StoredResponse stored)
    {
        context.Response.StatusCode = stored.Status;
        context.Response.ContentType = stored.ContentType;
        if (stored.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }

        context.Response.Headers[ReplayedHeader] = "true";
        await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }

    private static async Task<string> Fingerprint(HttpContext context, Caller caller)
    {
        context.Request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}\n{caller.Resident?.Value}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }

        context.Request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

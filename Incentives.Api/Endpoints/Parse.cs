using NodaTime;
using NodaTime.Text;

namespace Incentives.Api.Endpoints;

internal static class Parse
{
    public static bool Instant(string? text, out Instant? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var result = InstantPattern.ExtendedIso.Parse(text);
        value = result.Success && Plausible.Contains(result.Value) ? result.Value : null;
        return value is not null;
    }

    public static bool Enum<T>(string? text, out T value)
        where T : struct, System.Enum =>
        System.Enum.TryParse(text, ignoreCase: true, out value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _);

    /// <summary>The request's Idempotency-Key as the engine keeps it: scoped to the caller, so two callers' keys never
    /// meet; empty when the request has none.</summary>
    public static string Key(HttpContext context) =>
        context.Request.Headers[Idempotency.IdempotencyMiddleware.KeyHeader].ToString() is { Length: > 0 } key
            ? ((Security.Caller)context.Items[typeof(Security.Caller)]!).KeyId + ":" + key
            : string.Empty;
}

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
        // Within the years a request may name (Limits): far-off instants are mistakes, and arithmetic near them overflows.
        var ok = result.Success && Limits.InRange(result.Value);
        value = ok ? result.Value : null;
        return ok;
    }

    public static bool Enum<T>(string? text, out T value)
        where T : struct, System.Enum =>
        // Letters only: Enum.TryParse also takes numbers and comma-separated lists ("award,deduction" is Deduction).
        text is { Length: > 0 and <= Limits.Code } && text.All(char.IsAsciiLetter) && System.Enum.TryParse(text, ignoreCase: true, out value) && System.Enum.IsDefined(value)
            || Fail(out value);

    private static bool Fail<T>(out T value)
        where T : struct
    {
        value = default;
        return false;
    }

    /// <summary>The request's Idempotency-Key as the engine keeps it: scoped to the caller, so two callers' keys never
    /// meet; empty when the request has none.</summary>
    /// <summary>An enum value as the API writes it: camelCase (<c>WriteOff</c> → <c>writeOff</c>), as OneOf lists it.</summary>
    public static string Camel<T>(T value)
        where T : struct, System.Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static string Key(HttpContext context) =>
        context.Request.Headers[Idempotency.IdempotencyMiddleware.KeyHeader].ToString() is { Length: > 0 } key
            ? ((Security.Caller)context.Items[typeof(Security.Caller)]!).KeyId + ":" + key
            : string.Empty;
}

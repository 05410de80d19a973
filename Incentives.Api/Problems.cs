using System.Text.Json;
using Incentives.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Incentives.Api;

/// <summary>RFC 9457 problem details with a stable <c>type</c> per reason and the offending field.</summary>
internal static class Problems
{
    public const string TypeBase = "https://incentives.dev/problems/";

    public static ProblemHttpResult From(Refusal r)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["code"] = Kebab(r.Code.ToString()),
            ["field"] = r.Field,
            ["messageZh"] = r.MessageZh,
        };
        if (r.Shortfall is { } s)
        {
            extensions["shortfall"] = s;
        }

        if (r.Left is { } left)
        {
            extensions["left"] = left;
        }

        if (r.ResetsAt is { } resets)
        {
            extensions["resetsAt"] = resets.ToString();
        }

        if (r.TierNeeded is { } tier)
        {
            extensions["tierNeeded"] = tier;
        }

        if (r.PickupCodes is { } codes)
        {
            extensions["pickupCodes"] = codes;
        }

        if (r.Entries is { } entries)
        {
            extensions["entries"] = entries;
        }

        if (r.HoursToday is { } hours)
        {
            extensions["hoursToday"] = hours;
            extensions["hoursLimit"] = r.HoursLimit;
        }

        return TypedResults.Problem(r.Message, statusCode: StatusOf(r.Code), title: Title(r.Code), type: TypeBase + Kebab(r.Code.ToString()), extensions: extensions);
    }

    public static int StatusOf(RefusalCode code) => code switch
    {
        RefusalCode.InvalidArgument => StatusCodes.Status400BadRequest,
        RefusalCode.UnknownResident or RefusalCode.UnknownEntry or RefusalCode.UnknownCommunity or RefusalCode.NotFound => StatusCodes.Status404NotFound,
        RefusalCode.IdempotencyConflict or RefusalCode.AlreadyReversed or RefusalCode.NotReversible or RefusalCode.AlreadyExists
            or RefusalCode.InvalidState or RefusalCode.OutOfStock or RefusalCode.PointsHeld or RefusalCode.LaterRecordsOfAct => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static ProblemHttpResult BadRequest(string field, string message) =>
        TypedResults.Problem(message, statusCode: 400, title: "Invalid request", type: TypeBase + "invalid-argument",
            extensions: new Dictionary<string, object?> { ["code"] = "invalid-argument", ["field"] = field });

    public static ProblemHttpResult Conflict(string field, string code, string message, string messageZh) =>
        TypedResults.Problem(message, statusCode: 409, title: "Conflict", type: TypeBase + code,
            extensions: new Dictionary<string, object?> { ["code"] = code, ["field"] = field, ["messageZh"] = messageZh });

    public static ProblemHttpResult NotFound(string field, string message) =>
        TypedResults.Problem(message, statusCode: 404, title: "Not found", type: TypeBase + "not-found",
            extensions: new Dictionary<string, object?> { ["code"] = "not-found", ["field"] = field });

    public static ProblemHttpResult Forbidden(string message) =>
        TypedResults.Problem(message, statusCode: 403, title: "Forbidden", type: TypeBase + "forbidden",
            extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });

    public static ProblemHttpResult Unauthorized(string message) =>
        TypedResults.Problem(message, statusCode: 401, title: "Unauthorized", type: TypeBase + "unauthorized",
            extensions: new Dictionary<string, object?> { ["code"] = "unauthorized" });

    public static Task Write(HttpContext context, ProblemHttpResult problem) => problem.ExecuteAsync(context);

    private static string Title(RefusalCode code) => Kebab(code.ToString()).Replace('-', ' ');

    private static string Kebab(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}

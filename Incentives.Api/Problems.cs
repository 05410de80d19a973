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
        RefusalCode.SelfApproval => StatusCodes.Status403Forbidden,
        RefusalCode.UnknownResident or RefusalCode.UnknownEntry or RefusalCode.UnknownCommunity or RefusalCode.NotFound => StatusCodes.Status404NotFound,
        RefusalCode.IdempotencyConflict or RefusalCode.AlreadyReversed or RefusalCode.NotReversible or RefusalCode.AlreadyExists
            or RefusalCode.InvalidState or RefusalCode.OutOfStock or RefusalCode.PointsHeld or RefusalCode.LaterRecordsOfAct => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static ProblemHttpResult BadRequest(string field, string message, string? messageZh = null) =>
        Make(400, "invalid-argument", message, messageZh ?? $"请求无效: 字段 '{field}' 有误", field);

    public static ProblemHttpResult Conflict(string field, string code, string message, string messageZh) =>
        Make(409, code, message, messageZh, field);

    public static ProblemHttpResult NotFound(string field, string message, string? messageZh = null) =>
        Make(404, "not-found", message, messageZh ?? $"未找到: '{field}' 所指的对象不存在", field);

    public static ProblemHttpResult Forbidden(string message, string? messageZh = null) =>
        Make(403, "forbidden", message, messageZh ?? "无权访问: 此密钥的角色或范围不允许该操作");

    public static ProblemHttpResult Unauthorized(string message, string? messageZh = null) =>
        Make(401, "unauthorized", message, messageZh ?? "未认证: 缺少 X-Api-Key, 或密钥未知、已吊销");

    /// <summary>A problem with any status, stable <paramref name="code"/> (also the last segment of <c>type</c>) and both
    /// languages; the building block of every helper here. The title follows from the code (<see cref="TitleOf"/>), so
    /// one type always has one title, as RFC 9457 asks.</summary>
    public static ProblemHttpResult Make(int status, string code, string message, string messageZh, string? field = null)
    {
        var title = TitleOf(code);
        var extensions = new Dictionary<string, object?> { ["code"] = code, ["messageZh"] = messageZh };
        if (field is not null)
        {
            extensions["field"] = field;
        }

        return TypedResults.Problem(message, statusCode: status, title: title, type: TypeBase + code, extensions: extensions);
    }

    /// <summary>The problem for a status the framework or the server decides (unknown route, wrong method, limits):
    /// the status code pages, the exception handler and the rate limiter all answer through this.</summary>
    public static ProblemHttpResult ForStatus(int status, string? detail = null)
    {
        var (code, message, messageZh) = status switch
        {
            400 => ("bad-request", "the request is malformed", "请求格式错误"),
            401 => ("unauthorized", "an X-Api-Key header with a known key is required", "未认证: 缺少或无效的 X-Api-Key"),
            403 => ("forbidden", "this key may not use this route", "无权访问此接口"),
            404 => ("route-not-found", "no such route: check the path and the API version", "接口不存在, 请检查路径和版本"),
            405 => ("method-not-allowed", "this route does not take this HTTP method", "此接口不支持该 HTTP 方法"),
            408 => ("request-timeout", "the request body arrived too slowly", "请求超时: 请求体发送过慢"),
            409 => ("conflict", "the request conflicts with the current state", "请求与当前状态冲突"),
            411 => ("length-required", "this request needs a Content-Length", "请求须带 Content-Length"),
            413 => ("payload-too-large", "the request body is larger than 1 MiB", "请求体超过 1 MiB"),
            414 => ("uri-too-long", "the request target (path and query) is longer than 8 KiB", "请求地址 (路径和查询) 超过 8 KiB"),
            415 => ("unsupported-media-type", "send the body as application/json", "请求体须为 application/json"),
            422 => ("unprocessable", "the request cannot be applied", "请求无法执行"),
            429 => ("rate-limited", "too many requests for this key: wait and retry", "请求过于频繁, 请稍后再试"),
            431 => ("headers-too-large", "the request headers are larger than 32 KiB or more than 100", "请求头过大 (超过 32 KiB 或 100 个)"),
            >= 500 => ("server-error", "the server could not answer this request; it has been logged", "服务器内部错误, 已记录"),
            _ => ("http-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture), "the request was refused", "请求被拒绝"),
        };
        return Make(status, code, detail ?? message, messageZh);
    }

    public static Task Write(HttpContext context, ProblemHttpResult problem) => problem.ExecuteAsync(context);

    private static string Title(RefusalCode code) => TitleOf(Kebab(code.ToString()));

    /// <summary>A problem type's one title: its code in words ("already-exists" → "Already exists"), with the few
    /// whose words would mislead named here.</summary>
    public static string TitleOf(string code) => code switch
    {
        "invalid-argument" => "Invalid request",
        "route-not-found" => "Not found",
        "server-error" => "Server error",
        "rate-limited" => "Too many requests",
        "uri-too-long" => "URI too long",
        _ => char.ToUpperInvariant(code[0]) + code[1..].Replace('-', ' '),
    };

    private static string Kebab(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}

using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Incentives.Api.Hosting;

/// <summary>Requests the framework refuses while reading them (<see cref="BadHttpRequestException"/>) become problem
/// documents with the exception's own status: 400 naming the field (the JSON path) for malformed JSON, 408 for a body
/// sent too slowly, 413 for a body over the limit (also a chunked one, which has no Content-Length to check early), 415
/// for a body that is not JSON.</summary>
internal sealed partial class BadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        var problem = bad.StatusCode == StatusCodes.Status400BadRequest ? Malformed(bad) : Problems.ForStatus(bad.StatusCode);
        httpContext.Response.Clear();
        await problem.ExecuteAsync(httpContext);
        return true;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Malformed(BadHttpRequestException bad)
    {
        // A query or route value of the wrong type ("page=abc"): the framework names the parameter in its message.
        if (bad.InnerException is not JsonException && BindFailure().Match(bad.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            return Problems.BadRequest(name, $"'{name}' cannot be '{bind.Groups["value"].Value}': it has the wrong form (a whole number, a date-time, …)",
                $"参数 {name} 的值格式不正确");
        }

        var json = bad.InnerException as JsonException;
        var field = json?.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
        var message = json is null ? bad.Message : $"malformed JSON at '{field}': {Plain(json.Message.Split(" Path:")[0])}";
        return Problems.BadRequest(field, message, $"请求格式错误: '{field}' 处的 JSON 无效或类型不符");
    }

    // System.Text.Json's messages name our .NET types ("could not be converted to Incentives.Api.Endpoints.ItemBody"):
    // a client needs what is wrong, not how the server is built.
    private static string Plain(string message) =>
        message.Contains("could not be converted to", StringComparison.Ordinal) ? "the value has the wrong type (see the API document for this member)"
        : message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) ? "this member is not part of the request (misspelt?)"
        : message;

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?:[^\"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)\" from \"(?<value>[^\"]{0,100})")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();
}

/// <summary>The last resort: any other exception is a bug, logged here (the exception handler middleware stays silent
/// about exceptions a handler handled) and answered as a 500 problem document, never an empty body.</summary>
internal sealed partial class UnexpectedErrorHandler(ILogger<UnexpectedErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.Clear();
        await Problems.ForStatus(StatusCodes.Status500InternalServerError).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}

/// <summary>Every error status that reaches the client without a body (unknown route, wrong method, a limit) gets a
/// problem document with <c>type</c>, <c>code</c> and <c>messageZh</c>, whatever the client's Accept header says.</summary>
internal static class StatusProblems
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (http.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && IsUpload(http))
        {
            // An upload route (a spreadsheet, a picture) refused by routing for its content type: say what it takes.
            return Problems.Make(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type",
                "send the file as multipart/form-data in the field 'file'", "请以 multipart/form-data 上传, 文件字段名为 file", "file").ExecuteAsync(http);
        }

        return http.Response.StatusCode >= 400 ? Problems.ForStatus(http.Response.StatusCode).ExecuteAsync(http) : Task.CompletedTask;
    }

    private static List<(string Method, Microsoft.AspNetCore.Routing.Template.TemplateMatcher Matcher)>? _uploads;

    // Routing answers 415 with its own endpoint, which no longer says which route was meant; so the routes that take
    // multipart/form-data are found once from the endpoint list and matched against the request's path.
    private static bool IsUpload(HttpContext http)
    {
        _uploads ??= [.. http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains("multipart/form-data") == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["POST"]).Select(m => (m,
                new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(Microsoft.AspNetCore.Routing.Template.TemplateParser.Parse(e.RoutePattern.RawText!), new RouteValueDictionary()))))];
        foreach (var (method, matcher) in _uploads)
        {
            if (HttpMethods.Equals(method, http.Request.Method) && matcher.TryMatch(http.Request.Path, new RouteValueDictionary()))
            {
                return true;
            }
        }

        return false;
    }
}

using Microsoft.AspNetCore.Diagnostics;

namespace Incentives.Api.Hosting;

/// <summary>
/// The engine's store problems as problem documents: a full disk is 507 (nothing written, retry once space is freed),
/// a store fault or a store not yet reopened is 503 with Retry-After (retry with the same Idempotency-Key), a command
/// the log could not store is 400. The process never dies for them; reads go on.
/// </summary>
internal sealed class StoreProblemHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            StoreUnavailableException { Problem: StoreProblem.DiskFull } e => Problem(507, "disk-full", e.Message,
                "服务器存储空间不足, 本次未记录; 请稍后重试"),
            StoreUnavailableException e => Problem(503, e.Problem == StoreProblem.Faulted ? "store-fault" : "store-unavailable", e.Message,
                e.Problem == StoreProblem.Faulted ? "存储出错, 本次操作将在恢复后生效; 请稍后用同一幂等键重试以确认结果" : "存储暂不可用, 本次未记录; 请稍后重试"),
            ArgumentException { ParamName: "command" } e => Problems.BadRequest("body", e.Message),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        if (problem.StatusCode == 503)
        {
            httpContext.Response.Headers.RetryAfter = "2";
        }

        await problem.ExecuteAsync(httpContext);
        return true;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string code, string message, string messageZh) =>
        TypedResults.Problem(message, statusCode: status, title: Problems.TitleOf(code), type: Problems.TypeBase + code,
            extensions: new Dictionary<string, object?> { ["code"] = code, ["messageZh"] = messageZh });
}

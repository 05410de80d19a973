using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Incentives.Api.Hosting;

/// <summary>Malformed requests become 400 problem details naming the field (the JSON path), not an empty 400 or a 500.</summary>
internal sealed class BadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var json = bad.InnerException as JsonException;
        var field = json?.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
        var message = json is null ? bad.Message : $"malformed JSON at '{field}': {json.Message.Split(" Path:")[0]}";
        var problem = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? TypedResults.Problem("the request body is larger than 1 MiB", statusCode: 413, title: "Payload too large", type: Problems.TypeBase + "payload-too-large")
            : Problems.BadRequest(field, message);
        await problem.ExecuteAsync(httpContext);
        return true;
    }
}

using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Incentives.Api.Hosting;

/// <summary>
/// Size limits on the request itself, answered with problem documents. Kestrel answers requests past its own limits
/// before any middleware runs, with a bare status and no body; so its limits are set well above the ones enforced
/// here, and only a request past the outer bound (<see cref="KestrelRequestLine"/>, <see cref="KestrelHeaders"/>,
/// <see cref="KestrelHeaderCount"/>) still gets Kestrel's bare 414/431.
/// </summary>
internal sealed class RequestLimits(RequestDelegate next)
{
    /// <summary>Request bodies: 1 MiB (Kestrel enforces it on chunked bodies too, which the exception handler turns into a 413 problem).</summary>
    public const long MaxBody = 1 << 20;

    /// <summary>Path and query: 8 KiB, else 414.</summary>
    public const int MaxTarget = 8 << 10;

    /// <summary>All header names and values: 32 KiB, else 431.</summary>
    public const int MaxHeaders = 32 << 10;

    /// <summary>At most 100 headers, else 431.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Kestrel's own limit on the request line, past which it answers a bare 414.</summary>
    public const int KestrelRequestLine = 64 << 10;

    /// <summary>Kestrel's own limit on all headers, past which it answers a bare 431.</summary>
    public const int KestrelHeaders = 128 << 10;

    /// <summary>Kestrel's own limit on the number of headers, past which it answers a bare 431.</summary>
    public const int KestrelHeaderCount = 1000;

    public static void Configure(KestrelServerLimits limits)
    {
        limits.MaxRequestBodySize = MaxBody;
        limits.MaxRequestLineSize = KestrelRequestLine;
        limits.MaxRequestHeadersTotalSize = KestrelHeaders;
        limits.MaxRequestHeaderCount = KestrelHeaderCount;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var problem = Check(context);
        if (problem is not null)
        {
            await Problems.Write(context, problem);
            return;
        }

        await next(context);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Check(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw.Length
            : request.PathBase.Value!.Length + request.Path.Value!.Length + request.QueryString.Value!.Length;
        if (target > MaxTarget)
        {
            return Problems.ForStatus(StatusCodes.Status414UriTooLong);
        }

        if (request.Headers.Count > MaxHeaderCount)
        {
            return Problems.ForStatus(StatusCodes.Status431RequestHeaderFieldsTooLarge);
        }

        long size = 0;
        foreach (var (name, values) in request.Headers)
        {
            // As Kestrel counts: "name: value\r\n" per value.
            foreach (var value in values)
            {
                size += name.Length + (value?.Length ?? 0) + 4;
            }
        }

        if (size > MaxHeaders)
        {
            return Problems.ForStatus(StatusCodes.Status431RequestHeaderFieldsTooLarge);
        }

        // Kestrel enforces the body limit too; this answers early, and in the test host. An upload (a picture, a
        // spreadsheet) is told about its file, whose own limits (512 KiB, 1 MiB) are what the sender must meet.
        return request.ContentLength is not > MaxBody ? null
            : request.HasFormContentType ? Problems.Make(StatusCodes.Status413PayloadTooLarge, "payload-too-large",
                "the uploaded file is larger than 1 MiB: a picture may be at most 512 KiB, a spreadsheet 1 MiB",
                "上传的文件超过 1 MiB: 图片不超过 512 KiB, 表格不超过 1 MiB", "file")
            : Problems.ForStatus(StatusCodes.Status413PayloadTooLarge);
    }
}

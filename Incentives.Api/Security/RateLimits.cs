using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Incentives.Api.Security;

/// <summary>
/// Requests per minute, counted per API key in fixed one-minute windows; settings <c>rateLimitPerMinute</c> (default
/// 60,000) and <c>anonymousRateLimitPerMinute</c> (default 600), from appsettings.json, the environment or
/// <c>--Section:Key</c>-style options. Only endpoints that need a key are limited: <c>/health</c>, Swagger and the pages
/// are not. Requests with no key or an unknown one share one small bucket, so guessing keys is slow. The key was
/// looked up in memory before (<see cref="ApiKeyMiddleware"/>): a refused request does no database work. A refusal is
/// a 429 problem document with <c>Retry-After</c>.
/// </summary>
internal static class RateLimits
{
    public const string PerKeySetting = "rateLimitPerMinute";
    public const string AnonymousSetting = "anonymousRateLimitPerMinute";
    public const int DefaultPerKey = 60_000;
    public const int DefaultAnonymous = 600;

    private const string Unlimited = "(unlimited)";
    private const string Anonymous = "(no known key)";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IConfiguration>((o, configuration) => Configure(o, Setting(configuration, PerKeySetting, DefaultPerKey), Setting(configuration, AnonymousSetting, DefaultAnonymous)))
            .ValidateOnStart();
        return services;
    }

    public static void Configure(RateLimiterOptions o, int perKey, int anonymous)
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = async (rejected, cancellationToken) =>
        {
            var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
            rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Problems.Write(rejected.HttpContext, Problems.ForStatus(StatusCodes.Status429TooManyRequests,
                $"more than {(rejected.HttpContext.Items[typeof(Authentication)] is Authentication { KeyId: not null } ? perKey : anonymous)} requests a minute: retry after the Retry-After seconds"));
        };
        // Partition keys: a key's id ("key_…"), or one of the two below. The limiter keeps the first limiter made for
        // a partition key, so the unlimited and the anonymous partitions must never share one.
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            http.Items[typeof(Authentication)] is not Authentication authentication
                ? RateLimitPartition.GetNoLimiter(Unlimited)
                : RateLimitPartition.GetFixedWindowLimiter(authentication.KeyId ?? Anonymous, key => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = key == Anonymous ? anonymous : perKey,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
    }

    private static int Setting(IConfiguration configuration, string name, int fallback) =>
        configuration[name] is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new InvalidOperationException($"the setting '{name}' must be a positive whole number of requests per minute, not '{text}'");
}

using System.Net;
using Incentives.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Incentives.Tests.Api;

/// <summary>Issue 11, finding 12: the per-key limit is a setting, <c>/health</c> and the pages are not limited, and
/// keyless or unknown-key requests share one small bucket.</summary>
public sealed class RateLimitsTests(RateLimitsTests.Limited api) : IClassFixture<RateLimitsTests.Limited>
{
    [Fact]
    public async Task PerKeyLimit_NextRequestInTheMinute_Is429ProblemWithRetryAfter()
    {
        using var staff = api.As(api.Staff(0));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync(new Uri("/api/v1/catalog", UriKind.Relative))).StatusCode);
        }

        using var refused = await staff.GetAsync(new Uri("/api/v1/catalog", UriKind.Relative));
        using var otherKey = await api.As(api.Staff(1)).GetAsync(new Uri("/api/v1/catalog", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(refused, 429, "rate-limited");
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task HealthAndPages_AreNeverLimited()
    {
        using var anonymous = api.As(null);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add((await anonymous.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
            statuses.Add((await anonymous.GetAsync(new Uri("/kiosk/index.html", UriKind.Relative))).StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task KeylessAndUnknownKeys_ShareOneSmallBucket()
    {
        using var anonymous = api.As(null);
        using var unknown = api.As("not-a-key");

        var first = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            first.Add((int)(await (i % 2 == 0 ? anonymous : unknown).GetAsync(new Uri("/api/v1/benefits", UriKind.Relative))).StatusCode);
        }

        using var fourth = await unknown.GetAsync(new Uri("/API/V1/benefits", UriKind.Relative));
        using var known = await api.As(api.Partner).GetAsync(new Uri("/api/v1/benefits", UriKind.Relative));

        Assert.Equal([401, 401, 401], first);
        await ProblemAssert.IsProblemAsync(fourth, 429, "rate-limited");
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }

    /// <summary>The API with 5 requests a minute per key and 3 for all keyless and unknown-key requests together.</summary>
    public sealed class Limited : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Not UseSetting: the test host passes those as command-line options, and the command line takes only its own.
            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["rateLimitPerMinute"] = "5",
                ["anonymousRateLimitPerMinute"] = "3",
            }));
        }
    }
}

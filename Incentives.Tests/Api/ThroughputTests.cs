using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Incentives.Api.Security;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime;
using NodaTime.Testing;
using Xunit.Abstractions;

namespace Incentives.Tests.Api;

/// <summary>Issue 11, finding 12, measured (printed as COUNT lines, not asserted: the machine decides the numbers):
/// partner reads per second, a partner's 10,000-resident eligibility batch over HTTP, and key lookups. Alone, after the
/// other tests, so they do not share the CPU.</summary>
[Collection(nameof(Measurements))]
public sealed class ThroughputTests(ITestOutputHelper output)
{
    private const int Bulk = 10_000;

    [Fact]
    public async Task PartnerReadsAndATenThousandResidentBatch_OverHttp_AnswerEveryRequest()
    {
        var service = await ServiceProcess.StartAsync();
        await using (service)
        {
            using var keys = await DemoService.ReadKeysAsync(service);
            var partner = keys.RootElement.GetProperty("partner").GetString();
            var admin = keys.RootElement.GetProperty("admin").GetString();
            Assert.Equal(0, await service.StopAsync());
            var registering = Stopwatch.StartNew();
            await RegisterBulkResidents(service.DataDirectory);
            output.WriteLine($"(registered {Bulk} residents through the library in {registering.ElapsedMilliseconds} ms)");
            await service.RestartAsync();

            var (reads, failures) = await PartnerReads(service, partner!, TimeSpan.FromSeconds(5), clients: 16);
            var first = await Batch(service, partner!);
            var second = await Batch(service, partner!);
            var asAdmin = await Batch(service, admin!);

            output.WriteLine($"COUNT: partner credit reads {reads} in 5 s ({reads / 5} per second, 16 clients), {failures} not 200");
            output.WriteLine($"COUNT: partner eligibility batch {Bulk} in {first} ms");
            output.WriteLine($"COUNT: partner eligibility batch {Bulk} again in {second} ms; as admin in {asAdmin} ms");
            Assert.Equal(0, failures);
            Assert.True(reads > 0);
        }
    }

    [Fact]
    public void FindKey_FromMemory_AnswersEveryKnownKeyAndNoOther()
    {
        var folder = Path.Combine(Path.GetTempPath(), "incentives-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = new ApiStore(folder);
            var keys = Enumerable.Range(0, 100).Select(i => store.CreateKey(Role.Partner, "p" + i).Key).ToArray();
            var clock = Stopwatch.StartNew();
            var found = 0;
            for (var i = 0; i < 200_000; i++)
            {
                found += store.FindKey(keys[i % keys.Length]) is null ? 0 : 1;
            }

            clock.Stop();
            output.WriteLine($"COUNT: key lookups {200_000 / clock.Elapsed.TotalSeconds:F0} per second (hash, then a dictionary)");
            Assert.Equal(200_000, found);
            Assert.Null(store.FindKey(keys[0] + "x"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RegisterBulkResidents(string dataDirectory)
    {
        using var engine = IncentivesEngine.Open(
            new IncentivesOptions { DatabasePath = Path.Combine(dataDirectory, "incentives.db"), RulesDirectory = Repo.Rules },
            new FakeClock(SystemClock.Instance.GetCurrentInstant()));
        var results = await Task.WhenAll(Enumerable.Range(0, Bulk).Select(i =>
            engine.RegisterResidentAsync(new CommunityId("east"), $"批量居民{i}", new ResidentId($"bulk-{i:D5}"))));
        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    private static async Task<(int Reads, int Failures)> PartnerReads(ServiceProcess service, string partner, TimeSpan duration, int clients)
    {
        var reads = 0;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                using var response = await DemoService.Send(service.Http, HttpMethod.Get, $"/api/v1/credit/bulk-{(c * 613 + i) % Bulk:D5}", partner);
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref reads : ref failures);
            }
        }));
        return (reads, failures);
    }

    private static async Task<long> Batch(ServiceProcess service, string key)
    {
        var body = new { residents = Enumerable.Range(0, Bulk).Select(i => new { residentId = $"bulk-{i:D5}" }).ToArray() };
        var clock = Stopwatch.StartNew();
        using var response = await DemoService.Send(service.Http, HttpMethod.Post, "/api/v1/benefits/HEATING-SUBSIDY/eligibility/batch", key, body);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text[..Math.Min(text.Length, 500)]);
        using var answer = JsonDocument.Parse(text);
        Assert.Equal(Bulk, answer.RootElement.GetProperty("decisions").GetArrayLength());
        return clock.ElapsedMilliseconds;
    }
}

/// <summary>Tests that measure: run alone, after every parallel test collection.</summary>
[CollectionDefinition(nameof(Measurements), DisableParallelization = true)]
public sealed class Measurements;

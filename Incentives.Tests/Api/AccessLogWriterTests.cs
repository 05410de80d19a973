using System.Net;
using Incentives.Tests.Support;
using LiteDB;

namespace Incentives.Tests.Api;

/// <summary>Issue 11, finding 12: access-log rows are written in batches off the request path, and a clean stop
/// (SIGTERM) writes every queued row.</summary>
public sealed class AccessLogWriterTests
{
    [Fact]
    public async Task TwoHundredPartnerReads_ThenAGracefulStop_AreTwoHundredRowsInApiDb()
    {
        var service = await ServiceProcess.StartAsync();
        await using (service)
        {
            using var keys = await DemoService.ReadKeysAsync(service);
            var partner = keys.RootElement.GetProperty("partner").GetString();
            var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
            {
                using var response = await DemoService.Send(service.Http, HttpMethod.Get, $"/api/v1/credit/{(i % 2 == 0 ? "east" : "west")}-{1 + (i % 25):D3}", partner);
                return response.StatusCode;
            }));

            Assert.Equal(0, await service.StopAsync());

            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
            using var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(service.DataDirectory, "api.db"), Connection = ConnectionType.Direct });
            var rows = db.GetCollection("access_log").Find(Query.EQ("Role", "Partner")).ToList();
            Assert.Equal(200, rows.Count);
            Assert.Equal(200, rows.Count(r => r["What"].AsString == "credit"));
        }
    }
}

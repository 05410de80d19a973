using System.Net.Http.Json;
using System.Text.Json;
using Incentives.Tests.Support;

namespace Incentives.Tests.Reliability;

/// <summary>
/// The first start is atomic. Before, a kill during demo seeding left keys in api.db but no demo-keys.json and no
/// admin.key: the operator was locked out for good.
/// </summary>
[Collection(ServiceProcesses.Name)]
public sealed class FirstStartTests
{
    [Fact]
    public async Task KillDuringDemoSeeding_TheNextStartSeedsAgainAndDeliversWorkingKeys()
    {
        await using var service = ServiceProcess.Create();
        await service.LaunchAsync();
        var log = Path.Combine(service.DataDirectory, "incentives.db.commands");
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((!File.Exists(log) || new FileInfo(log).Length < 20_000) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await service.KillAsync();
        Assert.False(File.Exists(Path.Combine(service.DataDirectory, "demo-keys.json")), "the kill came after the seeding finished");

        await service.RestartAsync();
        var keys = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(service.DataDirectory, "demo-keys.json"))).RootElement;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/verify");
        request.Headers.Add("X-Api-Key", keys.GetProperty("admin").GetString());
        using var response = await service.Http.SendAsync(request);
        var verify = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
        Assert.Contains("was interrupted before its keys were written", service.Log, StringComparison.Ordinal);
        Assert.Equal(25, keys.GetProperty("communities")[0].GetProperty("residents").GetArrayLength());
    }

    [Fact]
    public async Task AdminKeyNeverDelivered_IsReissuedToAdminKey_TheUndeliveredOneRevoked_AndTheLogSaysSo()
    {
        await using var service = await ServiceProcess.StartAsync(["--no-demo"]);
        var file = Path.Combine(service.DataDirectory, "admin.key");
        var first = (await File.ReadAllTextAsync(file)).Trim();
        Assert.Equal(0, await service.StopAsync());
        // As if the process died between writing the key to api.db and delivering the file: no file, no mark.
        File.Delete(file);
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = Path.Combine(service.DataDirectory, "api.db"), Connection = LiteDB.ConnectionType.Direct }))
        {
            db.GetCollection("flags").DeleteAll();
        }

        await service.RestartAsync();
        var second = (await File.ReadAllTextAsync(file)).Trim();

        Assert.NotEqual(first, second);
        Assert.Equal(401, await StatusAsync(service, first));
        Assert.Equal(200, await StatusAsync(service, second));
        Assert.Contains("Issued admin key", service.Log, StringComparison.Ordinal);
        Assert.Contains("was interrupted before its keys were written", service.Log, StringComparison.Ordinal);
    }

    private static async Task<int> StatusAsync(ServiceProcess service, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/verify");
        request.Headers.Add("X-Api-Key", key);
        using var response = await service.Http.SendAsync(request);
        return (int)response.StatusCode;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Incentives.Tests.Support;

namespace Incentives.Tests.Api;

/// <summary>The harness itself: killed, stopped and restarted, the service comes back on the same data.</summary>
public sealed class ServiceProcessTests
{
    [Fact]
    public async Task KillStopAndRestart_SameDataFolder_KeepsWhatWasWritten()
    {
        var service = await ServiceProcess.StartAsync(["--no-demo"]);
        var data = service.DataDirectory;
        await using (service)
        {
            using var admin = new HttpRequestMessage(HttpMethod.Post, "/api/v1/communities") { Content = JsonContent.Create(new { id = "north", name = "北城社区" }) };
            var key = (await File.ReadAllTextAsync(Path.Combine(data, "admin.key"))).Trim();
            admin.Headers.Add("X-Api-Key", key);
            Assert.Equal(HttpStatusCode.Created, (await service.Http.SendAsync(admin)).StatusCode);

            for (var i = 0; i < 3; i++)
            {
                await service.KillAsync();
                Assert.False(service.IsRunning);
                await service.RestartAsync();
            }

            var port = service.Port;
            Assert.Equal(0, await service.StopAsync());
            await service.RestartAsync(newPort: true);

            Assert.NotEqual(port, service.Port);
            Assert.Equal(["north"], await Communities(service, key));
        }

        Assert.False(Directory.Exists(data));
    }

    private static async Task<string[]> Communities(ServiceProcess service, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/communities");
        request.Headers.Add("X-Api-Key", key);
        using var response = await service.Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
    }
}

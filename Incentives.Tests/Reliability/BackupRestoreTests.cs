using System.Net.Http.Json;
using System.Text.Json;
using Incentives.Tests.Support;

namespace Incentives.Tests.Reliability;

/// <summary>
/// Backups taken while writes go on restore to the same state: the digest of balances, chain heads, stock and the ledger
/// head, and of the API's keys and cards, is equal in the backup and in the service started on the restored folder.
/// Before, copying the folder under load gave copies that did not start or had broken chains, and copying only the
/// .db files re-seeded demo data onto a ledger.
/// </summary>
[Collection(ServiceProcesses.Name)]
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task Backup_UnderWriteLoad_RestoresToTheSameDigests_AndTheRestoredServiceVerifies()
    {
        var backups = Path.Combine(Path.GetTempPath(), "incentives-backups-" + Guid.NewGuid().ToString("N"));
        var restored = Path.Combine(Path.GetTempPath(), "incentives-restored-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var service = await ServiceProcess.StartAsync(["--backups", backups]);
            var keys = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(service.DataDirectory, "demo-keys.json"))).RootElement;
            var admin = keys.GetProperty("admin").GetString()!;
            var staff = keys.GetProperty("communities")[0].GetProperty("staffKey").GetString()!;
            using var stop = new CancellationTokenSource();
            var writes = 0;
            var load = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    using var request = Post($"/api/v1/awards", staff, new { residentId = $"east-{1 + ((n * 7) + i) % 25:D3}", indicator = i % 3 == 0 ? "ENV-04" : "FAM-04", quantity = 1 });
                    using var response = await service.Http.SendAsync(request, CancellationToken.None);
                    Interlocked.Increment(ref writes);
                }
            })).ToList();
            await WaitUntil(() => Volatile.Read(ref writes) > 50);

            using var backupRequest = Post("/api/v1/admin/backups", admin, new { });
            using var backupResponse = await service.Http.SendAsync(backupRequest);
            var backup = await backupResponse.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(backupResponse.IsSuccessStatusCode, backup.ToString());
            var before = Volatile.Read(ref writes);
            await WaitUntil(() => Volatile.Read(ref writes) > before + 50);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            var restore = await ServiceProcess.RunAsync("restore", backup.GetProperty("directory").GetString()!, "--data", restored);
            await using var second = await ServiceProcess.StartAsync(dataDirectory: restored);
            using var verifyRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/verify");
            verifyRequest.Headers.Add("X-Api-Key", admin);
            var verify = await (await second.Http.SendAsync(verifyRequest)).Content.ReadFromJsonAsync<JsonElement>();
            var again = await ServiceProcess.RunAsync("restore", backup.GetProperty("directory").GetString()!, "--data", restored);

            Assert.Equal(201, (int)backupResponse.StatusCode);
            Assert.True(restore.ExitCode == 0, restore.Output);
            Assert.True(verify.TryGetProperty("valid", out var valid) && valid.GetBoolean(), verify + second.Log);
            Assert.Equal(backup.GetProperty("digest").GetString(), verify.GetProperty("digest").GetString());
            Assert.Equal(backup.GetProperty("apiDigest").GetString(), verify.GetProperty("apiDigest").GetString());
            Assert.Equal((1, true), (again.ExitCode, again.Output.Contains("not empty", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var dir in new[] { backups, restored }.Where(Directory.Exists))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Start_OnALedgerWithoutItsApiKeys_IsRefusedNamingWhatIsMissing_AndSeedsNothing()
    {
        await using var service = await ServiceProcess.StartAsync(["--no-demo"]);
        using (var request = Post("/api/v1/communities", (await File.ReadAllTextAsync(Path.Combine(service.DataDirectory, "admin.key"))).Trim(), new { id = "east", name = "东城社区" }))
        {
            Assert.True((await service.Http.SendAsync(request)).IsSuccessStatusCode);
        }

        Assert.Equal(0, await service.StopAsync());
        foreach (var name in new[] { "api.db", "admin.key" })
        {
            File.Delete(Path.Combine(service.DataDirectory, name));
        }

        await service.LaunchAsync();
        var exit = await service.WaitForExitAsync();

        Assert.Equal(3, exit);
        Assert.Contains("api.db has no API keys", service.Log, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(service.DataDirectory, "demo-keys.json")));
    }

    private static HttpRequestMessage Post(string path, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return request;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}

using System.Net;
using Incentives.Tests.Support;

namespace Incentives.Tests.Api;

/// <summary>Issue 11, finding 11: the data folder (keys, PIN hashes, the ID-number secret, the ledger) is the owner's
/// alone, LiteDB's own files included.</summary>
public sealed class FileModesTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task DataFolder_AfterStartAndWrites_IsOwnerOnly()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var keys = await DemoService.ReadKeysAsync(service);
        // A write to api.db and one to the ledger, so LiteDB's -log files exist too.
        using var key = await DemoService.Send(service.Http, HttpMethod.Post, "/api/v1/keys", keys.RootElement.GetProperty("admin").GetString(), new { role = "partner", scope = "modes" });
        using var award = await DemoService.Send(service.Http, HttpMethod.Post, "/api/v1/awards", keys.RootElement.GetProperty("admin").GetString(),
            new { residentId = "east-002", indicator = "GOV-01", quantity = 1 }, idempotencyKey: "modes-1");
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        Assert.Equal(HttpStatusCode.Created, award.StatusCode);

        var folder = File.GetUnixFileMode(service.DataDirectory);
        var files = Directory.GetFiles(service.DataDirectory).ToDictionary(f => Path.GetFileName(f), File.GetUnixFileMode);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, folder);
        Assert.Contains("api.db", files.Keys);
        Assert.Contains("api-log.db", files.Keys);
        Assert.Contains("secret.key", files.Keys);
        Assert.Contains("demo-keys.json", files.Keys);
        Assert.All(files, f => Assert.True(f.Value == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{f.Key} is {f.Value}"));
    }
}

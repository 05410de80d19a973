using System.Buffers.Binary;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Incentives.Storage;
using Incentives.Tests.Support;

namespace Incentives.Tests.Reliability;

/// <summary>
/// Poison pills: an instant outside NodaTime's range used to answer 500 after its command was already fsynced to the
/// command log as "EndOfTime", and after any unclean stop the service no longer started. Now each of the four routes
/// refuses it (400 naming the field) before anything is logged, and a kill afterwards is followed by a start that
/// succeeds. A record that still cannot be read stops the start with the operator's message, never a stack trace.
/// </summary>
[Collection(ServiceProcesses.Name)]
public sealed class PoisonPillTests
{
    private static readonly string[] Hostile = ["-9999-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2201-01-01T00:00:00Z"];

    [Fact]
    public async Task OutOfRangeInstants_OnEachOfTheFourRoutes_Are400NamingTheField_AndAKillThenAStartSucceeds()
    {
        await using var service = await ServiceProcess.StartAsync();
        var keys = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(service.DataDirectory, "demo-keys.json"))).RootElement;
        var staff = keys.GetProperty("communities")[0].GetProperty("staffKey").GetString()!;
        var partner = keys.GetProperty("partner").GetString()!;
        var statuses = new List<string>();

        foreach (var instant in Hostile)
        {
            statuses.Add(await PostAsync(service, staff, "/api/v1/awards", new { residentId = "east-001", indicator = "GOV-05", quantity = 1, occurredAt = instant }, "occurredAt"));
            statuses.Add(await PostAsync(service, partner, "/api/v1/benefits/HEATING-SUBSIDY/eligibility", new { residentId = "east-001", asOf = instant }, "asOf"));
            statuses.Add(await PostAsync(service, partner, "/api/v1/benefits/HEATING-SUBSIDY/eligibility/batch", new { residents = new[] { new { residentId = "east-001" } }, asOf = instant }, "asOf"));
            statuses.Add(await PostAsync(service, staff, "/api/v1/stores/east-mall/items",
                new { sku = "P" + statuses.Count, nameZh = "毒", nameEn = "Poison", price = 1, stock = 0, kind = "goods", activeFrom = instant }, "activeFrom"));
            statuses.Add(await PostAsync(service, staff, "/api/v1/stores/east-mall/items",
                new { sku = "Q" + statuses.Count, nameZh = "毒", nameEn = "Poison", price = 1, stock = 0, kind = "goods", activeTo = instant }, "activeTo"));
        }

        await service.KillAsync();
        await service.RestartAsync();

        Assert.All(statuses, s => Assert.Equal("400 ok", s));
        Assert.True((await service.Http.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Start_OnALogRecordThatCannotBeRead_StopsWithTheOperatorsMessageAndNoStackTrace_AndRepairLogLetsItStart()
    {
        await using var service = await ServiceProcess.StartAsync(["--no-demo"]);
        Assert.Equal(0, await service.StopAsync());
        var log = Path.Combine(service.DataDirectory, "incentives.db.commands");
        var json = Encoding.UTF8.GetBytes("""{"$type":"award","at":"EndOfTime","request":{"resident":"nobody","indicator":"GOV-05","quantity":1,"recordedBy":"x","idempotencyKey":"poison","occurredAt":"EndOfTime"}}""");
        var record = new byte[16 + json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(record, 8 + json.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), 1_000_000);
        json.CopyTo(record, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.Compute(record.AsSpan(8)));
        var offset = new FileInfo(log).Length;
        await using (var stream = new FileStream(log, FileMode.Append))
        {
            await stream.WriteAsync(record);
        }

        await service.LaunchAsync();
        var exit = await service.WaitForExitAsync();

        Assert.Equal(3, exit);
        Assert.Contains($"sequence 1000000 at byte {offset}", service.Log, StringComparison.Ordinal);
        Assert.Contains($"repair-log --drop-at {offset}", service.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at Incentives.", service.Log, StringComparison.Ordinal);
        var repaired = await ServiceProcess.RunAsync("repair-log", offset.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", service.DataDirectory);
        Assert.True(repaired.ExitCode == 0, repaired.Output + repaired.Error);
        await service.RestartAsync();
    }

    private static async Task<string> PostAsync(ServiceProcess service, string key, string path, object body, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await service.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var named = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            && JsonDocument.Parse(text).RootElement.TryGetProperty("field", out var f) && f.GetString() == field;
        return $"{(int)response.StatusCode} {(named ? "ok" : path + " " + text)}";
    }
}

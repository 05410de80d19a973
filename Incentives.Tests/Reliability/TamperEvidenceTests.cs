using System.Security.Cryptography;
using System.Text;
using Incentives.Tests.Support;
using LiteDB;

namespace Incentives.Tests.Reliability;

/// <summary>
/// Tampering with the data file is noticed by <c>verify</c> (the command an operator runs) and, for a deleted tail, by the
/// start itself. Before, an entry changed from 8 to 800 points was served silently, and since the chain was unkeyed
/// SHA-256, re-linking the chain, the account and a lot passed the library's VerifyChain, as did deleting a resident's
/// last entry. The attacker here has the data file but not the key beside it.
/// </summary>
[Collection(ServiceProcesses.Name)]
public sealed class TamperEvidenceTests(TamperEvidenceTests.SeededFolder seeded) : IClassFixture<TamperEvidenceTests.SeededFolder>, IAsyncLifetime
{
    private ServiceProcess _service = null!;

    private string Data => _service.DataDirectory;

    private string Ledger => Path.Combine(Data, "incentives.db");

    // Each test tampers with its own copy of one seeded, cleanly stopped data folder.
    public Task InitializeAsync()
    {
        var copy = Path.Combine(Path.GetTempPath(), "incentives-tamper-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(seeded.Path))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        _service = ServiceProcess.Create(dataDirectory: copy);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Verify_OnAnUntouchedFolder_Passes()
    {
        var run = await ServiceProcess.RunAsync("verify", "--data", Data);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("OK: every chain, balance and the ledger head verify", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AnEntryEditedFrom8To800Points_IsReported()
    {
        Edit(db =>
        {
            var entries = db.GetCollection("entries");
            var entry = entries.FindOne(Query.EQ("Points", 8)) ?? throw new InvalidOperationException("no 8-point entry");
            entry["Points"] = 800L;
            entry["Json"] = entry["Json"].AsString.Replace("\"points\":8,", "\"points\":800,", StringComparison.Ordinal);
            entries.Update(entry);
        });

        var run = await ServiceProcess.RunAsync("verify", "--data", Data);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("content does not match its hash", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AChainReLinkedWithoutTheKey_IsReported()
    {
        Edit(db =>
        {
            // The attacker edits a resident's last entry and re-links everything that depends on it the way the old,
            // unkeyed chain was computed: the entry's hash, the account's head and balance, and the lot.
            var entries = db.GetCollection("entries");
            var last = entries.Find(Query.EQ("Resident", "east-003")).OrderBy(e => e["Sequence"].AsInt64).Last();
            var json = System.Text.Json.Nodes.JsonNode.Parse(last["Json"].AsString)!.AsObject();
            var points = json["points"]!.GetValue<long>();
            json["points"] = points + 100;
            json["hash"] = string.Empty;
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json["previousHash"]!.GetValue<string>() + "\n" + json.ToJsonString())));
            json["hash"] = hash;
            last["Json"] = json.ToJsonString();
            last["Points"] = new BsonValue(points + 100);
            entries.Update(last);
            var accounts = db.GetCollection("accounts");
            var account = accounts.FindById("east-003");
            account["LastHash"] = hash;
            account["Available"] = account["Available"].AsInt64 + 100;
            accounts.Update(account);
        });

        var run = await ServiceProcess.RunAsync("verify", "--data", Data);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("resident east-003", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLastEntryDeleted_VerifyReportsIt_AndTheServiceRefusesToStartNamingTheCommandToInvestigate()
    {
        Edit(db =>
        {
            var entries = db.GetCollection("entries");
            var last = entries.FindAll().OrderBy(e => e["_id"].AsInt64).Last();
            entries.Delete(last["_id"]);
            var resident = last["Resident"].AsString;
            var previous = entries.Find(Query.EQ("Resident", resident)).OrderBy(e => e["Sequence"].AsInt64).LastOrDefault();
            var accounts = db.GetCollection("accounts");
            var account = accounts.FindById(resident);
            account["Sequence"] = account["Sequence"].AsInt64 - 1;
            account["LastHash"] = previous is null ? new string('0', 64) : System.Text.Json.JsonDocument.Parse(previous["Json"].AsString).RootElement.GetProperty("hash").GetString();
            accounts.Update(account);
            var meta = db.GetCollection("meta");
            var next = meta.FindById("nextEntryId");
            next["Value"] = next["Value"].AsInt64 - 1;
            meta.Update(next);
        });

        var run = await ServiceProcess.RunAsync("verify", "--data", Data);
        await _service.LaunchAsync();
        var exit = await _service.WaitForExitAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("recorded at the last checkpoint", run.Output, StringComparison.Ordinal);
        Assert.Equal(3, exit);
        Assert.Contains("Run 'verify'", _service.Log, StringComparison.Ordinal);
        Assert.Contains("accept-head", _service.Log, StringComparison.Ordinal);
    }

    private void Edit(Action<LiteDatabase> change)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = Ledger, Connection = ConnectionType.Direct });
        change(db);
        db.Checkpoint();
    }

    /// <summary>A data folder seeded with demo data by the real service and stopped cleanly, once for the class.</summary>
    public sealed class SeededFolder : IAsyncLifetime
    {
        private ServiceProcess? _service;

        public string Path => _service!.DataDirectory;

        public async Task InitializeAsync()
        {
            _service = await ServiceProcess.StartAsync();
            Assert.Equal(0, await _service.StopAsync());
        }

        public async Task DisposeAsync() => await _service!.DisposeAsync();
    }
}

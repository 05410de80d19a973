using System.Buffers.Binary;
using System.Text;
using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Storage;
using Incentives.Tests.Support;
using NodaTime.Testing;

namespace Incentives.Tests.Storage;

/// <summary>
/// The command log tells a torn tail (cut, as before) from damage followed by valid records (refused: the file is left
/// untouched and the offset named) and from a record that cannot be read (refused with its sequence). Before, one flipped
/// byte in record 10 of 30 acknowledged awards, with the data file rolled back, silently cut the log from 6,178 to 2,059
/// bytes and 20 acknowledged awards were gone.
/// </summary>
public sealed class CommandLogDamageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "incentives-log-" + Guid.NewGuid().ToString("N"));
    private readonly FakeClock _clock = new(TestEngine.Start);
    private readonly ResidentId _resident = new("logged");

    private string DatabasePath => Path.Combine(_dir, "incentives.db");

    private string LogPath => DatabasePath + ".commands";

    private IncentivesOptions Options => new() { DatabasePath = DatabasePath, RulesDirectory = Repo.Rules };

    [Fact]
    public async Task Open_AByteFlippedInRecordTenOfThirty_RefusesNamingTheOffsetAndLeavesTheLogUntouched()
    {
        await LogThirtyAwardsOnlyInTheLogAsync();
        var offset = RecordOffsets()[9]; // the tenth of the thirty awards
        var bytes = File.ReadAllBytes(LogPath);
        bytes[offset + 30] ^= 0x20;
        File.WriteAllBytes(LogPath, bytes);

        var refused = Assert.Throws<StoreOpenException>(() => IncentivesEngine.Open(Options, _clock));

        Assert.Contains($"damaged at byte {offset}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"repair-log --drop-at {offset}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(LogPath));
    }

    [Fact]
    public async Task RepairLog_DropsTheDamagedRecordOnly_AndEveryOtherLoggedCommandIsApplied()
    {
        await LogThirtyAwardsOnlyInTheLogAsync();
        var offset = RecordOffsets()[9];
        var bytes = File.ReadAllBytes(LogPath);
        bytes[offset + 30] ^= 0x20;
        File.WriteAllBytes(LogPath, bytes);

        IncentivesEngine.RepairCommandLog(Options, offset, _clock);
        using var engine = IncentivesEngine.Open(Options, _clock);

        Assert.Equal(30, engine.GetStatement(new StatementQuery(_resident, PageSize: 100)).Total);
        Assert.True(engine.VerifyChain(_resident).Valid);
        Assert.Single(Directory.GetFiles(_dir, "incentives.db.commands.bak-*"));
    }

    [Fact]
    public async Task Open_TheLastRecordTorn_CutsItAndAppliesTheThirtyBeforeIt()
    {
        await LogThirtyAwardsOnlyInTheLogAsync();
        var bytes = File.ReadAllBytes(LogPath);
        File.WriteAllBytes(LogPath, bytes[..^7]);

        using var engine = IncentivesEngine.Open(Options, _clock);

        Assert.Equal(30, engine.GetStatement(new StatementQuery(_resident, PageSize: 100)).Total);
    }

    [Fact]
    public async Task Open_ARecordWhoseCommandCannotBeRead_RefusesNamingItsSequence()
    {
        await LogThirtyAwardsOnlyInTheLogAsync();
        var offsets = RecordOffsets();
        var bytes = File.ReadAllBytes(LogPath);
        var at = offsets[^1];
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at + 8));
        // What the old code logged for an instant beyond NodaTime's range: a record with a valid CRC that cannot be parsed.
        var json = Encoding.UTF8.GetString(bytes, at + 16, length - 8);
        var poisoned = Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(json, "\"at\":\"[^\"]+\"", "\"at\":\"EndOfTime\""));
        var record = new byte[16 + poisoned.Length];
        BinaryPrimitives.WriteInt32LittleEndian(record, 8 + poisoned.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), sequence);
        poisoned.CopyTo(record, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.Compute(record.AsSpan(8)));
        File.WriteAllBytes(LogPath, [.. bytes[..at], .. record]);

        var refused = Assert.Throws<StoreOpenException>(() => IncentivesEngine.Open(Options, _clock));

        Assert.Contains($"sequence {sequence} at byte {at}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"repair-log --drop-at {at}", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    // Thirty acknowledged awards that only the command log holds: the data file is put back to its state before them.
    private async Task LogThirtyAwardsOnlyInTheLogAsync()
    {
        using (var engine = IncentivesEngine.Open(Options, _clock))
        {
            await engine.RegisterCommunityAsync(TestEngine.Community, "东城社区");
            await engine.RegisterResidentAsync(TestEngine.Community, "日志", _resident);
        }

        var snapshot = File.ReadAllBytes(DatabasePath);
        var crash = false;
        var crashing = IncentivesEngine.Open(Options, _clock, () => crash);
        for (var i = 0; i < 30; i++)
        {
            Assert.True((await crashing.AwardAsync(new AwardRequest(_resident, new IndicatorCode("FAM-04"), 1, "staff-1", "a" + i))).Succeeded);
        }

        crash = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => crashing.AwardAsync(new AwardRequest(_resident, new IndicatorCode("GOV-05"), 1, "staff-1", "lost")));
        crashing.Dispose();
        File.WriteAllBytes(DatabasePath, snapshot);
        File.Delete(Path.Combine(_dir, "incentives-log.db"));
        Assert.Equal(31, RecordOffsets().Count);
    }

    private List<int> RecordOffsets()
    {
        var bytes = File.ReadAllBytes(LogPath);
        var offsets = new List<int>();
        for (var at = 0; at + 16 <= bytes.Length; at += 8 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)))
        {
            offsets.Add(at);
        }

        return offsets;
    }
}

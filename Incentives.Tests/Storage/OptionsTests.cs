using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime;
using NodaTime.Testing;

namespace Incentives.Tests.Storage;

/// <summary>Options are checked at <see cref="IncentivesEngine.Open(IncentivesOptions, IClock)"/>: every bad one is
/// named in one exception, and none reaches the writer (a batch size of −1 used to kill its thread, 0 to stall replay).</summary>
public sealed class OptionsTests
{
    [Fact]
    public void Open_WithSeveralBadOptions_NamesEachWithItsRangeInOneException()
    {
        var options = new IncentivesOptions
        {
            RulesDirectory = Repo.Rules,
            MaxBatchSize = -1,
            BatchLinger = Duration.FromSeconds(1),
            CommandLogCheckpointBytes = 0,
            ReservationHold = Duration.Zero,
            MinFreeDiskBytes = -5,
        };

        var e = Assert.Throws<ArgumentException>(() => IncentivesEngine.Open(options, new FakeClock(TestEngine.Start)));

        foreach (var name in new[] { "MaxBatchSize must be 1–100,000, found -1", "BatchLinger must be 0–100 ms", "CommandLogCheckpointBytes", "ReservationHold", "MinFreeDiskBytes" })
        {
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_001)]
    public void Open_WithABatchSizeOutOfRange_IsRefused(int size) =>
        Assert.Throws<ArgumentException>(() => IncentivesEngine.Open(new IncentivesOptions { RulesDirectory = Repo.Rules, MaxBatchSize = size }, new FakeClock(TestEngine.Start)));

    [Fact]
    public async Task Writer_WithALinger_FillsBatchesFromCallersThatArriveOneByOne()
    {
        // 64 callers, each sending its next award only when the last was answered: without a linger the writer closes
        // a batch as soon as the queue is momentarily empty; with one, late arrivals join the open batch.
        var clock = new FakeClock(TestEngine.Start);
        using var engine = IncentivesEngine.Open(new IncentivesOptions { RulesDirectory = Repo.Rules, BatchLinger = Duration.FromMilliseconds(100) }, clock);
        await engine.RegisterCommunityAsync(TestEngine.Community, "东城社区");
        var residents = new ResidentId[64];
        for (var i = 0; i < residents.Length; i++)
        {
            residents[i] = (await engine.RegisterResidentAsync(TestEngine.Community, "张三")).Value!.Id;
        }

        var before = engine.Statistics;

        await Task.WhenAll(Enumerable.Range(0, 64).Select(async caller =>
        {
            for (var i = 0; i < 5; i++)
            {
                await Task.Yield();
                var r = await engine.AwardAsync(new AwardRequest(residents[caller], new IndicatorCode("FAM-04"), 1, "staff-1", $"linger-{caller}-{i}"));
                Assert.True(r.Succeeded, r.Refusal?.Message);
            }
        }));

        var after = engine.Statistics;
        var commands = after.Commands - before.Commands;
        var batches = after.Batches - before.Batches;
        Assert.Equal(320, commands);
        // Five rounds of 64: without a linger this took 11 batches here, with one 5; 8 leaves room for a slow machine.
        Assert.True(batches <= 8, $"{commands} commands in {batches} batches");
    }
}

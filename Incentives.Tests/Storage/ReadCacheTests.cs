using System.Collections.Concurrent;
using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Tests.Support;
using NodaTime;

namespace Incentives.Tests.Storage;

/// <summary>
/// Balance, credit "now" and stars are answered from memory; the writer drops what a batch changed after each commit.
/// These tests show an acknowledged write is always visible to the next read, and that a value read just before a
/// commit never survives it, however readers and the writer interleave.
/// </summary>
public sealed class ReadCacheTests
{
    [Fact]
    public async Task HotReads_AfterEachAcknowledgedWrite_AnswerTheNewValue()
    {
        using var t = TestEngine.Create();
        var resident = t.NewResident();
        await t.Engine.GrantConsentAsync(resident, "staff-1");
        var scoreBefore = t.Engine.GetCredit(resident)!.Score;

        for (var i = 1; i <= 6; i++)
        {
            // Read first, so the cache holds the old value the write must displace.
            _ = t.Engine.GetBalance(resident);
            _ = t.Engine.GetCredit(resident);
            _ = t.Engine.GetVolunteerStanding(resident);

            Assert.True(t.Award(resident, "FAM-04", 1).Succeeded);
            Assert.True(t.Award(resident, "VOL-01", 1).Succeeded);

            Assert.Equal((2 * i) + Math.Min(2 * i, 8), t.Engine.GetBalance(resident)!.Total); // VOL-01 pays 8 a day at most
            Assert.Equal(scoreBefore + (i * 2), t.Engine.GetCredit(resident)!.Score);
            Assert.Equal(i, t.Engine.GetVolunteerStanding(resident)!.Hours);
        }

        await t.Engine.RevokeConsentAsync(resident, "staff-1");
        Assert.Null(t.Engine.GetCredit(resident)!.Score);
    }

    [Fact]
    public async Task HotReads_RacingTheWriter_NeverKeepAValueOlderThanTheLastCommit()
    {
        using var t = TestEngine.Create();
        var residents = Enumerable.Range(0, 8).Select(i => t.NewResident("c" + i)).ToArray();
        foreach (var r in residents)
        {
            await t.Engine.GrantConsentAsync(r, "staff-1");
        }

        using var stop = new CancellationTokenSource();
        var faults = new ConcurrentQueue<Exception>();
        var readers = Enumerable.Range(0, 4).Select(n => Task.Factory.StartNew(() =>
        {
            var random = new Random(n);
            while (!stop.IsCancellationRequested)
            {
                var r = residents[random.Next(residents.Length)];
                try
                {
                    _ = t.Engine.GetBalance(r);
                    _ = t.Engine.GetCredit(r);
                    _ = t.Engine.GetVolunteerStanding(r);
                }
                catch (Exception e)
                {
                    faults.Enqueue(e);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        // Service hours are bounded per day (12), so one record in sixteen is an hour of service.
        var awards = Enumerable.Range(0, 1200).Select(i => t.Engine.AwardAsync(new AwardRequest(
            residents[i % residents.Length], new IndicatorCode(i % 16 == 0 ? "VOL-01" : "FAM-04"), 1, "staff-1", "race" + i)));
        var results = await Task.WhenAll(awards);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Empty(faults);
        // Caps refuse some records; what was accepted is what the statements show.
        Assert.Contains(results, r => r.Succeeded);
        t.Clock.Advance(Duration.FromSeconds(1));
        var now = t.Clock.GetCurrentInstant();
        foreach (var r in residents)
        {
            var statement = t.Engine.GetStatement(new StatementQuery(r, PageSize: 500)).Items;
            Assert.Equal(statement.Sum(e => e.Points), t.Engine.GetBalance(r)!.Total);

            // The computed answers (an instant in the past, every record known) against the remembered ones.
            var computedCredit = t.Engine.GetCredit(r, now - Duration.FromMilliseconds(1), asKnownNow: true)!;
            Assert.Equal(computedCredit.Score, t.Engine.GetCredit(r)!.Score);
            Assert.Equal(t.Engine.GetVolunteerStanding(r, now - Duration.FromMilliseconds(1))!.Hours, t.Engine.GetVolunteerStanding(r)!.Hours);
        }
    }
}

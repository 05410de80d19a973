using System.Collections.Concurrent;
using System.Diagnostics;
using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Tests.Support;
using NodaTime;
using Xunit.Abstractions;

namespace Incentives.Tests.Storage;

/// <summary>
/// Reads never crash and never see torn data: four reader threads run every read the API offers, each checked against
/// an invariant it must satisfy on its own, while 256 writes are in flight — on a fresh file database (collections
/// and indexes new) and then on the same file reopened warm. Before the reader/writer discipline, two readers beside
/// 256 awards faulted LiteDB within 0.2 s ("page type must be collection page") and the process aborted.
/// </summary>
public sealed class ConcurrentReadTests(ITestOutputHelper output)
{
    private const int Residents = 2000;
    private const int InFlight = 256;
    private const int Readers = 4;
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Reads_BesideTwoHundredFiftySixWritesInFlight_OnAFreshThenAWarmFile_NeverFaultAndAlwaysHoldTheirInvariants()
    {
        var path = Path.Combine(Path.GetTempPath(), "incentives-reads-" + Guid.NewGuid().ToString("N"), "incentives.db");
        try
        {
            var fresh = await RunPhaseAsync(path, seed: true);
            var warm = await RunPhaseAsync(path, seed: false);

            output.WriteLine($"COUNT: concurrent reads fresh {fresh.Reads} beside {fresh.Writes} writes, warm {warm.Reads} beside {warm.Writes} writes, faults {fresh.Faults.Count + warm.Faults.Count}");
            Assert.Empty(fresh.Faults);
            Assert.Empty(warm.Faults);
            Assert.True(fresh.Reads > 0 && warm.Reads > 0 && fresh.Writes > 0 && warm.Writes > 0);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    private static async Task<PhaseResult> RunPhaseAsync(string path, bool seed)
    {
        using var t = seed ? TestEngine.Create(path) : TestEngine.Reopen(path);
        var e = t.Engine;
        var residents = Enumerable.Range(0, Residents).Select(i => new ResidentId("s" + i)).ToArray();
        if (seed)
        {
            // Residents only: every other collection (counters, idempotency keys, credit accounts, acts, the mall's)
            // is first written while the readers run.
            await Task.WhenAll(residents.Select(r => e.RegisterResidentAsync(TestEngine.Community, "居民", r)));
        }

        var faults = new ConcurrentQueue<string>();
        long reads = 0;
        long writes = 0;
        using var stop = new CancellationTokenSource(Phase);
        var readers = Enumerable.Range(0, Readers).Select(n => Task.Factory.StartNew(() =>
        {
            var random = new Random(n);
            while (!stop.IsCancellationRequested)
            {
                var resident = residents[random.Next(residents.Length)];
                try
                {
                    // Mostly the hot reads (balance, chain, statement, credit), which race the writer most often.
                    ReadAndCheck(e, resident, random.Next(3) == 0 ? random.Next(12) : random.Next(4));
                    Interlocked.Increment(ref reads);
                }
                catch (Exception ex)
                {
                    faults.Enqueue($"{resident}: {ex.GetType().Name}: {ex.Message}");
                    if (faults.Count > 20)
                    {
                        return;
                    }
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        var mall = seed ? Task.Run(async () =>
        {
            TestMall.Open(t);
            await Task.WhenAll(residents.Take(200).Select(r => e.GrantConsentAsync(r, "staff-1")));
        }) : Task.CompletedTask;
        var writers = Enumerable.Range(0, InFlight).Select(n => Task.Run(async () =>
        {
            var random = new Random(1000 + n);
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var resident = residents[random.Next(residents.Length)];
                try
                {
                    await WriteAsync(t, resident, random, $"{(seed ? "f" : "w")}{n}-{i++}");
                    Interlocked.Increment(ref writes);
                }
                catch (Exception ex)
                {
                    faults.Enqueue($"write {resident}: {ex.GetType().Name}: {ex.Message}");
                    return;
                }
            }
        })).ToArray();

        await Task.WhenAll(readers.Concat(writers).Append(mall));
        return new PhaseResult(reads, writes, [.. faults]);
    }

    private static async Task WriteAsync(TestEngine t, ResidentId resident, Random random, string key)
    {
        var e = t.Engine;
        switch (random.Next(6))
        {
            case 0:
                await e.AwardAsync(new AwardRequest(resident, new IndicatorCode("ENV-04"), 1, "staff-1", key));
                break;
            case 1:
                var reserved = await e.ReserveAsync(new ReservationRequest(TestMall.Store, resident, [new LineRequest("SOAP", 1)], key));
                if (reserved.Value is { } r)
                {
                    _ = random.Next(2) == 0 ? await e.FulfilAsync(TestMall.Store, r.PickupCode, "staff-1") : await e.CancelAsync(TestMall.Store, r.PickupCode, "staff-1");
                }

                break;
            case 2:
                await e.ChangeStockAsync(TestMall.Store, "SOAP", StockChangeKind.Receive, 1, "staff-1", "delivery", key);
                break;
            default:
                await e.AwardAsync(new AwardRequest(resident, new IndicatorCode(random.Next(2) == 0 ? "FAM-02" : "GOV-05"), 1, "staff-1", key));
                break;
        }
    }

    // Each read on its own must satisfy its invariant: a torn value (a balance read mid-batch, a page of a collection
    // being created) breaks one of these.
    private static void ReadAndCheck(IncentivesEngine e, ResidentId resident, int which)
    {
        switch (which)
        {
            case 0:
                var b = e.GetBalance(resident) ?? new Balance(0, 0, 0, 0);
                Check(b.Available >= 0 && b.Reserved >= 0 && b.Pending >= 0, $"negative balance {b}");
                break;
            case 1:
                var chain = e.VerifyChain(resident);
                Check(chain.Valid, "chain: " + chain.Problem);
                break;
            case 2:
                var page = e.GetStatement(new StatementQuery(resident, PageSize: 20));
                Check(page.Total >= page.Items.Count && page.Items.Zip(page.Items.Skip(1)).All(p => p.First.Sequence == p.Second.Sequence + 1),
                    "statement page not contiguous");
                break;
            case 3:
                var credit = e.GetCredit(resident)!;
                Check(!credit.Rated || e.Catalog.CreditTiers.Tiers.Single(x => x.Code == credit.Tier).Contains(credit.Score!.Value) || credit.CappedBy is not null,
                    $"tier {credit.Tier} does not hold score {credit.Score}");
                break;
            case 4:
                foreach (var item in e.GetItems(TestMall.Store))
                {
                    Check(item.Stock >= 0 && item.Held >= 0 && item.Received == item.Stock + item.Held + item.Handed, $"stock of {item.Definition.Sku} torn");
                }

                break;
            case 5:
                Check(e.GetOffers(TestMall.Store, resident).All(o => o.YourPrice >= 0), "negative price");
                break;
            case 6:
                Check(e.GetLots(resident).All(l => l.Original == l.Remaining + l.Held + l.Spent + l.ExpiredPoints + l.Debited), "lot does not add up");
                break;
            case 7:
                Check(e.GetReservations(resident).All(r => r.HeldPoints >= 0 && r.Resident == resident), "foreign reservation");
                break;
            case 8:
                Check(e.GetVolunteerStanding(resident)!.Hours >= 0, "negative hours");
                break;
            case 9:
                Check(e.FindResidents(TestEngine.Community, "s1").All(r => r.Community == TestEngine.Community), "foreign resident");
                break;
            case 10:
                Check(e.GetPointsByCategory(resident).Count >= 0 && e.GetExpiringPoints(resident, Duration.FromDays(90)) >= 0, "negative expiring points");
                break;
            default:
                Check(e.GetResident(resident)?.Id == resident && e.GetLoans(resident).All(l => l.Resident == resident), "resident mismatch");
                break;
        }
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidDataException(what);
        }
    }

    private sealed record PhaseResult(long Reads, long Writes, List<string> Faults);
}

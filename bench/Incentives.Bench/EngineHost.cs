using Incentives.Catalog;
using Incentives.Ledger;
using LiteDB;
using NodaTime;

namespace Incentives.Bench;

/// <summary>An engine on a file in a temp folder, with residents, driven only through the public API.</summary>
internal sealed class EngineHost : IDisposable
{
    public static readonly IndicatorCode Fam04 = new("FAM-04");

    private long _awardSequence;

    private EngineHost(string databasePath, string rules, IncentivesEngine engine)
    {
        DatabasePath = databasePath;
        Rules = rules;
        Engine = engine;
    }

    public string DatabasePath { get; }

    public string Rules { get; }

    public IncentivesEngine Engine { get; private set; }

    public ResidentId[] Residents { get; set; } = [];

    public CommunityId Community { get; set; } = new("bench");

    /// <summary>Awards that completed (not refused) through <see cref="Award"/>.</summary>
    public long AwardsPosted => Interlocked.Read(ref _awardsPosted);

    private long _awardsPosted;

    public static EngineHost Open(string databasePath, string rules, int maxBatchSize = 1000) =>
        new(databasePath, rules, OpenEngine(databasePath, rules, maxBatchSize));

    public static IncentivesEngine OpenEngine(string databasePath, string rules, int maxBatchSize = 1000) =>
        IncentivesEngine.Open(new IncentivesOptions { DatabasePath = databasePath, RulesDirectory = rules, MaxBatchSize = maxBatchSize }, SystemClock.Instance);

    /// <summary>Closes the engine and opens it again with another batch size (same file).</summary>
    public void Reopen(int maxBatchSize)
    {
        Engine.Dispose();
        Engine = OpenEngine(DatabasePath, Rules, maxBatchSize);
    }

    public void Close() => Engine.Dispose();

    /// <summary>Registers a community and <paramref name="count"/> residents (ids <c>{prefix}000001</c>…), with consent
    /// to credit scoring for every <paramref name="consentEvery"/>-th, <paramref name="inflight"/> commands at a time.</summary>
    public async Task Populate(string community, string prefix, int count, int consentEvery = 1, int inflight = 2000)
    {
        Community = new CommunityId(community);
        Must(await Engine.RegisterCommunityAsync(Community, "Bench " + community));
        var ids = Enumerable.Range(1, count).Select(i => new ResidentId(prefix + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        await Load.ForEach(count, inflight, async i =>
        {
            Must(await Engine.RegisterResidentAsync(Community, "Resident " + i, ids[i]));
            if (i % consentEvery == 0)
            {
                Must(await Engine.GrantConsentAsync(ids[i], "bench"));
            }
        });
        Residents = ids;
    }

    /// <summary>The same population as <see cref="Populate"/> (community, residents <c>{prefix}000001</c>…, consent for
    /// every <paramref name="consentEvery"/>-th), written by the bulk path into a new store at
    /// <paramref name="databasePath"/> (much faster than commands; setup only), then opened.</summary>
    public static async Task<EngineHost> OpenPopulated(string databasePath, string rules, string scratch, string community, string prefix, int count, int consentEvery = 1)
    {
        var ids = Enumerable.Range(1, count).Select(i => new ResidentId(prefix + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        await BulkLoad.Run(databasePath, rules, scratch, community, i => ids[i].Value, count, 0, consentEvery);
        return new EngineHost(databasePath, rules, OpenEngine(databasePath, rules)) { Community = new CommunityId(community), Residents = ids };
    }

    /// <summary>One FAM-04 award (+2 points, +2 credit, no indicator caps) for the resident at <paramref name="index"/>
    /// modulo the population, under a new idempotency key; a refusal throws (the load runner counts it as an error).</summary>
    public Task<bool> Award(long index, string phase) => Award(Residents[(int)(index % Residents.Length)], phase);

    /// <summary>One FAM-04 award for <paramref name="resident"/>.</summary>
    public async Task<bool> Award(ResidentId resident, string phase)
    {
        var key = phase + "-" + Interlocked.Increment(ref _awardSequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await Engine.AwardAsync(new AwardRequest(resident, Fam04, 1, "bench", key));
        if (result.Value is null)
        {
            throw new InvalidOperationException($"award refused: {result.Refusal?.Code} {result.Refusal?.Message}");
        }

        Interlocked.Increment(ref _awardsPosted);
        return true;
    }

    public void Dispose() => Engine.Dispose();

    public static T Must<T>(CommandResult<T> result)
        where T : class =>
        result.Value ?? throw new InvalidOperationException($"refused: {result.Refusal?.Code} {result.Refusal?.Field} {result.Refusal?.Message}");

    /// <summary>Documents per collection in a closed data file, read with LiteDB directly: a black-box count of what
    /// the engine stores, whatever its collections are called.</summary>
    public static Dictionary<string, long> CountDocuments(string databasePath)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = databasePath, Connection = ConnectionType.Direct, ReadOnly = true });
        return db.GetCollectionNames().ToDictionary(n => n, n => (long)db.GetCollection(n).Count(), StringComparer.Ordinal);
    }

    /// <summary>Documents and their BSON bytes per collection of a closed data file (the size estimated from up to
    /// <paramref name="sample"/> documents each), largest first: where the bytes of the file go.</summary>
    public static IReadOnlyList<(string Name, long Count, double AverageBytes)> DocumentBytes(string databasePath, int sample = 2000)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = databasePath, Connection = ConnectionType.Direct, ReadOnly = true });
        return db.GetCollectionNames().Select(n =>
        {
            var collection = db.GetCollection(n);
            var docs = collection.Query().Limit(sample).ToEnumerable().Select(d => BsonSerializer.Serialize(d).Length).ToList();
            return (n, (long)collection.Count(), docs.Count == 0 ? 0 : docs.Average());
        }).OrderByDescending(c => c.Item2 * c.Item3).ToList();
    }

    /// <summary>The difference of two counts, per collection, largest first, as <c>name+N</c>.</summary>
    public static (long Total, string Detail) Difference(Dictionary<string, long> before, Dictionary<string, long> after)
    {
        var diff = after.Select(kv => (kv.Key, Delta: kv.Value - before.GetValueOrDefault(kv.Key))).Where(d => d.Delta != 0).OrderByDescending(d => d.Delta).ToList();
        return (diff.Sum(d => d.Delta), string.Join(" ", diff.Select(d => $"{d.Key}+{d.Delta}")));
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using LiteDB;

namespace Incentives.Bench;

/// <summary>The baseline: raw LiteDB 5 inserting journal-like documents, 1,000 per transaction, on a file.</summary>
internal static class RawLiteDb
{
    public const int BatchSize = 1000;

    /// <summary>Documents shaped like a journal entry: a string id, an indexed resident, a few scalars and a ~500-byte
    /// JSON-ish payload (an explanation with hashes, different for every document).</summary>
    public static BsonDocument Document(long n, int residents)
    {
        var hash = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var previous = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var payload = "{\"indicator\":\"FAM-04\",\"quantity\":1,\"requested\":2,\"awarded\":2,\"creditDelta\":2,"
            + "\"steps\":[{\"kind\":\"base\",\"value\":2},{\"kind\":\"cap\",\"period\":\"month\",\"limit\":200,\"used\":" + (n % 200) + "},"
            + "{\"kind\":\"cap\",\"period\":\"year\",\"limit\":1500,\"used\":" + (n % 1500) + "}],"
            + "\"catalog\":\"2026.1\",\"recordedBy\":\"staff-1\",\"hash\":\"" + hash + "\",\"previousHash\":\"" + previous + "\","
            + "\"evidence\":\"returned a wallet at the community office, witnessed by the grid worker\"}";
        return new BsonDocument
        {
            ["_id"] = "e" + n.ToString("D12", System.Globalization.CultureInfo.InvariantCulture),
            ["resident"] = "r" + (n % residents).ToString("D7", System.Globalization.CultureInfo.InvariantCulture),
            ["kind"] = 1,
            ["points"] = 2L,
            ["occurredAt"] = DateTime.UtcNow.Ticks,
            ["json"] = payload,
        };
    }

    public static void Run(Report report, BenchOptions options)
    {
        var dir = options.NewTempFolder("raw");
        var path = Path.Combine(dir, "raw.db");
        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var journal = db.GetCollection("journal");
        journal.EnsureIndex("resident");
        long n = 0;

        void Batch()
        {
            var docs = new BsonDocument[BatchSize];
            for (var i = 0; i < BatchSize; i++)
            {
                docs[i] = Document(n++, 10_000);
            }

            db.BeginTrans();
            foreach (var doc in docs)
            {
                journal.Insert(doc);
            }

            db.Commit();
        }

        for (var i = 0; i < 3; i++)
        {
            Batch();
        }

        // Documents are built outside the timed part: the figure is LiteDB's.
        var batches = 0;
        var timed = TimeSpan.Zero;
        var stop = Stopwatch.StartNew();
        while (stop.Elapsed < options.RawDuration)
        {
            var docs = new BsonDocument[BatchSize];
            for (var i = 0; i < BatchSize; i++)
            {
                docs[i] = Document(n++, 10_000);
            }

            var started = Stopwatch.GetTimestamp();
            db.BeginTrans();
            foreach (var doc in docs)
            {
                journal.Insert(doc);
            }

            db.Commit();
            timed += Stopwatch.GetElapsedTime(started);
            batches++;
        }

        var size = Machine.FileSize(path) + Machine.FileSize(Path.Combine(dir, "raw-log.db"));

        // The same documents one per transaction: the fixed cost of a LiteDB commit (it flushes its log file).
        var single = 0;
        var singleTime = Stopwatch.StartNew();
        while (singleTime.Elapsed < options.RawDuration / 3)
        {
            var doc = Document(n++, 10_000);
            db.BeginTrans();
            journal.Insert(doc);
            db.Commit();
            single++;
        }

        var perSingle = single / singleTime.Elapsed.TotalSeconds;
        report.Add("raw_litedb_batched_insert_per_s", batches * BatchSize / timed.TotalSeconds, "docs/s",
            ("batch", BatchSize), ("docs", batches * BatchSize), ("doc_bytes", Document(0, 1).ToString().Length),
            ("bytes_per_doc_on_disk", (double)size / n));
        report.Add("raw_litedb_single_insert_per_s", perSingle, "docs/s", ("note", "one document per transaction: the cost of a commit"));
        Fsync(report, dir);
    }

    // The disk's own floor: append 4 KiB and fsync, as the command log does once per batch.
    private static void Fsync(Report report, string dir)
    {
        var path = Path.Combine(dir, "fsync.bin");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var block = new byte[4096];
        var times = new List<long>();
        for (var i = 0; i < 200; i++)
        {
            var started = Stopwatch.GetTimestamp();
            file.Write(block);
            file.Flush(flushToDisk: true);
            times.Add(Stopwatch.GetTimestamp() - started);
        }

        var ticks = times.ToArray();
        report.Add("disk_append_fsync_p50_ms", Latency.PercentileMs(ticks, 0.5), "ms", ("p99_ms", Latency.PercentileMs(ticks, 0.99)),
            ("note", "append 4 KiB + fsync on the temp folder's disk, 200 times"));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Incentives.Catalog;
using Incentives.Ledger;
using LiteDB;
using NodaTime;

namespace Incentives.Bench;

/// <summary>What a bulk load did.</summary>
internal sealed record BulkLoadResult(int Residents, long Entries, long Documents, TimeSpan TemplateTime, TimeSpan ResidentsTime, TimeSpan JournalTime, TimeSpan AccountsTime, TimeSpan Total,
    TimeSpan JournalWriteTime, TimeSpan JournalCpu, long JournalDiskBytes);

/// <summary>
/// The bulk path: N residents and M journal entries written straight into the engine's own document layout, far
/// faster than M commands through the writer, and a ledger the engine accepts as its own.
/// <para>
/// Nothing of the layout is hard-coded here. A throwaway engine (public API only) registers a few template residents
/// and gives them FAM-04 awards; their documents (resident, account, entries, lots, credit records, credit account,
/// consent) are read back with LiteDB and cloned for every resident, with ids, keys and both hash chains (each
/// resident's, and the ledger-wide one) recomputed under the target store's own key — the formulas are checked against
/// the template's stored hashes first, so a change in the engine's hashing stops the load instead of writing a ledger
/// the engine would reject. Entries are laid out as a round-robin load through the engine would lay them out (entry i
/// belongs to resident i mod N). The target store is created by the engine (collections, indexes, key, catalog,
/// community); its head file is then written by <see cref="IncentivesEngine.AcceptHead"/>. A bench run then checks
/// chains of sampled residents with <see cref="IncentivesEngine.VerifyChain"/> (and the whole ledger on small loads).
/// </para>
/// </summary>
internal static class BulkLoad
{
    /// <summary>The previous hash of a chain's first entry (the engine's LedgerKey.Genesis).</summary>
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private const int EntriesPerTransaction = 20_000;
    private static readonly IndicatorCode Fam04 = new("FAM-04");

    /// <param name="db">The target data file (must not exist).</param>
    /// <param name="rules">The rules folder.</param>
    /// <param name="scratch">A folder for the template store.</param>
    /// <param name="community">The community every resident belongs to (registered by the engine).</param>
    /// <param name="residentId">The id of the resident at index i (0-based).</param>
    /// <param name="residents">N.</param>
    /// <param name="entries">M.</param>
    /// <param name="consentEvery">Residents at an index divisible by this consent to credit scoring.</param>
    /// <param name="progress">Entries written so far (called now and then).</param>
    public static async Task<BulkLoadResult> Run(string db, string rules, string scratch, string community, Func<int, string> residentId, int residents, long entries,
        int consentEvery, Action<long>? progress = null)
    {
        if (residents < 1 || entries < 0)
        {
            throw new ArgumentException("the bulk load needs at least one resident");
        }

        var total = Stopwatch.StartNew();
        var perResident = (int)((entries + residents - 1) / residents); // E: residents below M mod N get E entries, the rest E - 1
        var full = entries % residents == 0 ? residents : (int)(entries % residents);
        var templates = await Template.Make(Path.Combine(scratch, "template"), rules, community, perResident);
        var templateTime = total.Elapsed;

        // The target: created by the engine (schema, key, catalog, community); everything else written below.
        using (var engine = EngineHost.OpenEngine(db, rules))
        {
            EngineHost.Must(await engine.RegisterCommunityAsync(new CommunityId(community), "Bench " + community));
        }

        var secret = File.ReadAllBytes(db + ".key");
        var writer = new Writer(db, secret);
        long documents = 0;
        try
        {
            var keyedFrom = writer.Meta("keyedFrom");
            if (writer.Meta("nextEntryId") != 0 || keyedFrom != 1)
            {
                throw new InvalidOperationException($"the target store is not empty (nextEntryId {writer.Meta("nextEntryId")}, keyedFrom {keyedFrom})");
            }

            // Residents, their consents and credit accounts (their final state: the template's after its awards).
            var phase = Stopwatch.StartNew();
            TemplateResident Of(int i) => templates[(i % consentEvery == 0 ? 0 : 1) + (i < full ? 0 : 2)];
            documents += writer.InsertAll("residents", Enumerable.Range(0, residents).Select(i => Of(i).Resident(residentId(i), i)));
            long consentId = 0;
            documents += writer.InsertAll("consents", Enumerable.Range(0, residents).SelectMany(i => Of(i).Consents(residentId(i), () => ++consentId)));
            documents += writer.InsertAll("credit_accounts", Enumerable.Range(0, residents).Select(i => Of(i).CreditAccount(residentId(i))).OfType<BsonDocument>());
            var residentsTime = phase.Elapsed;

            // The journal, in id order: built on one thread, written on another.
            phase.Restart();
            var chains = new byte[residents * 32L];
            var genesis = Convert.FromHexString(Genesis);
            for (var i = 0; i < residents; i++)
            {
                genesis.CopyTo(chains, i * 32L);
            }

            var ids = new string[residents];
            for (var i = 0; i < residents; i++)
            {
                ids[i] = residentId(i);
            }

            var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(3) { SingleReader = true, SingleWriter = true });
            var ledger = Genesis;
            long creditRecords = 0;
            var produce = Task.Run(async () =>
            {
                try
                {
                    using var hmac = new HMACSHA256(secret);
                    var batch = new Batch();
                    for (long n = 0; n < entries; n++)
                    {
                        var id = n + 1;
                        var r = (int)(n % residents);
                        var k = (int)(n / residents);
                        var t = Of(r);
                        var chain = chains.AsSpan((int)(r * 32L), 32);
                        var (entry, lot, credit, hash) = t.Entry(k, id, ids[r], AwardPayloadHash(ids[r]), Convert.ToHexStringLower(chain), hmac, creditRecords + 1);
                        ledger = Hex(hmac, Encoding.UTF8.GetBytes(ledger + "|" + id.ToString(CultureInfo.InvariantCulture) + "|" + hash));
                        entry["LedgerHash"] = ledger;
                        Convert.FromHexString(hash).CopyTo(chain);
                        batch.Entries.Add(entry);
                        batch.Lots.Add(lot);
                        if (credit is not null)
                        {
                            batch.Credit.Add(credit);
                            creditRecords++;
                        }

                        if (batch.Entries.Count == EntriesPerTransaction || n == entries - 1)
                        {
                            await channel.Writer.WriteAsync(batch);
                            batch = new Batch();
                        }
                    }

                    channel.Writer.Complete();
                }
                catch (Exception e)
                {
                    channel.Writer.Complete(e);
                }
            });

            long written = 0;
            var cpu = Machine.CpuTime();
            var disk = Machine.DiskWriteBytes();
            var writing = TimeSpan.Zero;
            await foreach (var batch in channel.Reader.ReadAllAsync())
            {
                var began = Stopwatch.GetTimestamp();
                documents += writer.Transaction(batch);
                writing += Stopwatch.GetElapsedTime(began);
                written += batch.Entries.Count;
                progress?.Invoke(written);
            }

            await produce;
            var journalTime = phase.Elapsed;
            var journalCpu = Machine.CpuTime() - cpu;
            var journalDisk = Machine.DiskWriteBytes() - disk;

            // Accounts last: their chain heads are the journal's.
            phase.Restart();
            documents += writer.InsertAll("accounts", Enumerable.Range(0, residents).Select(i => Of(i).Account(ids[i], Convert.ToHexStringLower(chains.AsSpan((int)(i * 32L), 32)))));
            writer.SetMeta("nextEntryId", entries, null);
            writer.SetMeta("creditRecordId", creditRecords, null);
            if (entries > 0)
            {
                writer.SetMeta("ledgerHead", writer.Meta("ledgerHead"), ledger);
            }

            writer.Close();
            var accountsTime = phase.Elapsed;
            IncentivesEngine.AcceptHead(new IncentivesOptions { DatabasePath = db, RulesDirectory = rules }, SystemClock.Instance);
            return new BulkLoadResult(residents, entries, documents, templateTime, residentsTime, journalTime, accountsTime, total.Elapsed, writing, journalCpu, journalDisk);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The fingerprint the engine keeps of a plain FAM-04 award request (PayloadHash.Of): resident, indicator,
    /// quantity 1, no occurrence time, recorded by "bench", no evidence. Checked against the template's.</summary>
    public static string AwardPayloadHash(string resident) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', "award", resident, Fam04.Value, "1", "\u0000", "bench", "\u0000"))));

    private static string Hex(HMACSHA256 hmac, byte[] input) => Convert.ToHexStringLower(hmac.ComputeHash(input));

    private sealed class Batch
    {
        public List<BsonDocument> Entries { get; } = new(EntriesPerTransaction);

        public List<BsonDocument> Lots { get; } = new(EntriesPerTransaction);

        public List<BsonDocument> Credit { get; } = new(EntriesPerTransaction);
    }

    /// <summary>
    /// The target store, through LiteDB directly (the engine is closed meanwhile), on the same two files LiteDB would
    /// open (<c>incentives.db</c> and <c>incentives-log.db</c>) but through streams that do not fsync: LiteDB 5.0.20
    /// fsyncs its log each time its writer queue runs dry, which on a bulk load is every page or two (25,731 fsyncs
    /// for 40,000 entries, measured with strace). A load that crashes is simply run again; the files are fsynced once,
    /// at the end, after the final checkpoint.
    /// </summary>
    private sealed class Writer : IDisposable
    {
        private readonly string _logPath;
        private readonly NoSyncStream _data;
        private readonly NoSyncStream _log;
        private readonly LiteDatabase _db;
        private bool _closed;

        public Writer(string path, byte[] secret)
        {
            _logPath = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));
            Secret = secret;
            _data = new NoSyncStream(path);
            _log = new NoSyncStream(_logPath);
            _db = new LiteDatabase(_data, new BsonMapper(), _log);
        }

        public byte[] Secret { get; }

        public long Meta(string id) => _db.GetCollection("meta").FindById(id) is { } d && d["Value"].IsNumber ? d["Value"].AsInt64 : 0;

        public void SetMeta(string id, long value, string? text)
        {
            var meta = _db.GetCollection("meta");
            var doc = meta.FindById(id) ?? new BsonDocument { ["_id"] = id, ["Text"] = BsonValue.Null };
            doc["Value"] = value;
            if (text is not null)
            {
                doc["Text"] = text;
            }

            meta.Upsert(doc);
        }

        public long InsertAll(string collection, IEnumerable<BsonDocument> docs)
        {
            long n = 0;
            var c = _db.GetCollection(collection);
            foreach (var chunk in docs.Chunk(50_000))
            {
                _db.BeginTrans();
                n += c.Insert(chunk);
                _db.Commit();
            }

            return n;
        }

        public long Transaction(Batch batch)
        {
            _db.BeginTrans();
            var n = _db.GetCollection("entries").Insert(batch.Entries);
            n += _db.GetCollection("lots").Insert(batch.Lots);
            n += batch.Credit.Count > 0 ? _db.GetCollection("credit_records").Insert(batch.Credit) : 0;
            _db.Commit();
            return n;
        }

        public void Close()
        {
            _db.Checkpoint();
            _db.Dispose();
            _data.Sync();
            _log.Sync();
            _data.Dispose();
            _log.Dispose();
            if (new FileInfo(_logPath).Length == 0)
            {
                File.Delete(_logPath);
            }

            _closed = true;
        }

        public void Dispose()
        {
            if (!_closed)
            {
                _db.Dispose();
                _data.Dispose();
                _log.Dispose();
            }
        }
    }

    /// <summary>A file LiteDB writes through without fsync: LiteDB flushes a stream that is not a FileStream with
    /// <see cref="Stream.Flush()"/>, which here only empties the buffer into the OS.</summary>
    private sealed class NoSyncStream(string path) : Stream
    {
        private readonly FileStream _file = new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 8192, FileOptions.RandomAccess);

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => _file.Length;

        public override long Position
        {
            get => _file.Position;
            set => _file.Position = value;
        }

        public void Sync() => _file.Flush(flushToDisk: true);

        public override void Flush() => _file.Flush(flushToDisk: false);

        public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

        public override void SetLength(long value) => _file.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>One template resident's documents, as the engine wrote them, with the parts that differ per resident
    /// marked so a clone is a concatenation.</summary>
    private sealed class TemplateResident
    {
        public required string Id { get; init; }

        public required BsonDocument ResidentDoc { get; init; }

        public required BsonDocument AccountDoc { get; init; }

        public BsonDocument? CreditAccountDoc { get; init; }

        public required List<BsonDocument> ConsentDocs { get; init; }

        /// <summary>Per award k: the entry document, its JSON split around the varying parts, its lot, its credit record.</summary>
        public required List<(BsonDocument Entry, string[] Json, BsonDocument Lot, BsonDocument? Credit, string[]? CreditJson)> Awards { get; init; }

        public BsonDocument Resident(string id, int index)
        {
            var d = Copy(ResidentDoc);
            d["_id"] = id;
            d["DisplayName"] = "Resident " + index.ToString(CultureInfo.InvariantCulture);
            return d;
        }

        public IEnumerable<BsonDocument> Consents(string id, Func<long> nextId) => ConsentDocs.Select(c =>
        {
            var d = Copy(c);
            d["_id"] = nextId();
            d["Resident"] = id;
            return d;
        });

        public BsonDocument? CreditAccount(string id)
        {
            if (CreditAccountDoc is null)
            {
                return null;
            }

            var d = Copy(CreditAccountDoc);
            d["_id"] = id;
            return d;
        }

        public BsonDocument Account(string id, string lastHash)
        {
            var d = Copy(AccountDoc);
            d["_id"] = id;
            d["LastHash"] = lastHash;
            return d;
        }

        /// <summary>The k-th award of resident <paramref name="resident"/> as entry <paramref name="id"/>: the entry
        /// (its LedgerHash set by the caller), its lot, its credit record, and the entry's own hash.</summary>
        public (BsonDocument Entry, BsonDocument Lot, BsonDocument? Credit, string Hash) Entry(int k, long id, string resident, string payloadHash, string previous,
            HMACSHA256 hmac, long creditId)
        {
            var (entryTemplate, json, lotTemplate, creditTemplate, creditJson) = Awards[k];
            var idText = id.ToString(CultureInfo.InvariantCulture);
            var key = "load-" + idText;
            var body = Fill(json, idText, resident, key, previous, string.Empty);
            var hash = Hex(hmac, Encoding.UTF8.GetBytes(previous + "\n" + body));
            var entry = Copy(entryTemplate);
            entry["_id"] = id;
            entry["Resident"] = resident;
            entry["Json"] = Fill(json, idText, resident, key, previous, hash);
            entry["Key"] = "award:" + key;
            entry["PayloadHash"] = payloadHash;
            var lot = Copy(lotTemplate);
            lot["_id"] = id;
            lot["Resident"] = resident;
            BsonDocument? credit = null;
            if (creditTemplate is not null)
            {
                credit = Copy(creditTemplate);
                credit["_id"] = creditId;
                credit["Resident"] = resident;
                credit["Entry"] = id;
                credit["Json"] = Fill(creditJson!, creditId.ToString(CultureInfo.InvariantCulture), resident, idText, string.Empty, string.Empty);
            }

            return (entry, lot, credit, hash);
        }

        private static BsonDocument Copy(BsonDocument d)
        {
            var copy = new BsonDocument();
            foreach (var (k, v) in d)
            {
                copy[k] = v;
            }

            return copy;
        }
    }

    // Slots: 0 id, 1 resident, 2 idempotency key (or the entry id in a credit record), 3 previous hash, 4 hash.
    private static string Fill(string[] parts, string id, string resident, string key, string previous, string hash)
    {
        var sb = new StringBuilder(parts.Sum(p => p.Length) + 200);
        for (var i = 0; i < parts.Length; i++)
        {
            sb.Append((i & 1) == 0 ? parts[i] : parts[i] switch
            {
                "0" => id,
                "1" => resident,
                "2" => key,
                "3" => previous,
                "4" => hash,
                _ => throw new InvalidOperationException("unknown slot " + parts[i]),
            });
        }

        return sb.ToString();
    }

    private const char Mark = '\u0001';

    /// <summary>Splits <paramref name="json"/> around the given (text, slot) occurrences; every one must be found.</summary>
    private static string[] Split(string json, params (string Text, string Replacement)[] slots)
    {
        foreach (var (text, replacement) in slots)
        {
            if (!json.Contains(text, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the engine's document layout changed: '{text}' not found in {json}");
            }

            json = json.Replace(text, replacement, StringComparison.Ordinal);
        }

        return json.Split(Mark);
    }

    private static string Slot(int n) => $"{Mark}{n}{Mark}";

    private static class Template
    {
        // Four template residents: consenting / not, with E awards / with E - 1. Ids of the population's length.
        private static readonly string[] Ids = ["t9000001", "t9000002", "t9000003", "t9000004"];

        public static async Task<TemplateResident[]> Make(string dir, string rules, string community, int awards)
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "incentives.db");
            using (var engine = EngineHost.OpenEngine(path, rules))
            {
                EngineHost.Must(await engine.RegisterCommunityAsync(new CommunityId(community), "Bench " + community));
                for (var t = 0; t < Ids.Length; t++)
                {
                    EngineHost.Must(await engine.RegisterResidentAsync(new CommunityId(community), "Resident " + t, new ResidentId(Ids[t])));
                    if (t % 2 == 0)
                    {
                        EngineHost.Must(await engine.GrantConsentAsync(new ResidentId(Ids[t]), "bench"));
                    }
                }

                for (var k = 0; k < awards; k++)
                {
                    for (var t = 0; t < Ids.Length; t++)
                    {
                        if (t < 2 || k < awards - 1)
                        {
                            EngineHost.Must(await engine.AwardAsync(new AwardRequest(new ResidentId(Ids[t]), Fam04, 1, "bench", $"tmpl-{k}-{t}")));
                        }
                    }
                }

                foreach (var id in Ids)
                {
                    if (engine.VerifyChain(new ResidentId(id)) is { Valid: false } v)
                    {
                        throw new InvalidOperationException($"the template chain of {id} does not verify: {v.Problem}");
                    }
                }
            }

            var secret = File.ReadAllBytes(path + ".key");
            using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = true });
            using var hmac = new HMACSHA256(secret);
            var ledger = Genesis;
            var entriesById = db.GetCollection("entries").Query().OrderBy("_id").ToList();
            foreach (var e in entriesById)
            {
                // The ledger-wide chain, as the engine computes it (keyed from entry 1 in a new store).
                var own = Field(e["Json"].AsString, "\"hash\":\"");
                ledger = Hex(hmac, Encoding.UTF8.GetBytes(ledger + "|" + e["_id"].AsInt64.ToString(CultureInfo.InvariantCulture) + "|" + own));
                if (ledger != e["LedgerHash"].AsString)
                {
                    throw new InvalidOperationException($"the ledger-wide hash of template entry {e["_id"]} is not reproduced: the engine's hashing changed");
                }
            }

            return [.. Ids.Select(id => Read(db, hmac, id))];
        }

        private static TemplateResident Read(LiteDatabase db, HMACSHA256 hmac, string id)
        {
            var entries = db.GetCollection("entries").Find(Query.EQ("Resident", id)).OrderBy(e => e["Sequence"].AsInt64).ToList();
            var awards = new List<(BsonDocument, string[], BsonDocument, BsonDocument?, string[]?)>();
            foreach (var e in entries)
            {
                var json = e["Json"].AsString;
                var entryId = e["_id"].AsInt64.ToString(CultureInfo.InvariantCulture);
                var previous = Field(json, "\"previousHash\":\"");
                var hash = Field(json, "\"hash\":\"");
                var key = Field(json, "\"idempotencyKey\":\"");
                var body = json.Replace("\"hash\":\"" + hash + "\"", "\"hash\":\"\"", StringComparison.Ordinal);
                if (Hex(hmac, Encoding.UTF8.GetBytes(previous + "\n" + body)) != hash)
                {
                    throw new InvalidOperationException($"the hash of template entry {entryId} is not reproduced: the engine's hashing changed");
                }

                if (AwardPayloadHash(id) != e["PayloadHash"].AsString || e["Key"].AsString != "award:" + key)
                {
                    throw new InvalidOperationException($"the idempotency record of template entry {entryId} is not reproduced: the engine's key layout changed");
                }

                var parts = Split(json,
                    ("{\"id\":" + entryId + ",", "{\"id\":" + Slot(0) + ","),
                    ("\"" + id + "\"", "\"" + Slot(1) + "\""),
                    ("\"idempotencyKey\":\"" + key + "\"", "\"idempotencyKey\":\"" + Slot(2) + "\""),
                    ("\"previousHash\":\"" + previous + "\"", "\"previousHash\":\"" + Slot(3) + "\""),
                    ("\"hash\":\"" + hash + "\"", "\"hash\":\"" + Slot(4) + "\""));
                var lot = db.GetCollection("lots").FindById(e["_id"]) ?? throw new InvalidOperationException($"template entry {entryId} has no lot");
                var credit = db.GetCollection("credit_records").FindOne(Query.EQ("Entry", e["_id"]));
                string[]? creditJson = null;
                if (credit is not null)
                {
                    var c = credit["Json"].AsString;
                    creditJson = Split(c,
                        ("{\"id\":" + credit["_id"].AsInt64.ToString(CultureInfo.InvariantCulture) + ",", "{\"id\":" + Slot(0) + ","),
                        ("\"" + id + "\"", "\"" + Slot(1) + "\""),
                        ("\"entry\":" + entryId + ",", "\"entry\":" + Slot(2) + ","));
                }

                awards.Add((e, parts, lot, credit, creditJson));
            }

            return new TemplateResident
            {
                Id = id,
                ResidentDoc = db.GetCollection("residents").FindById(id),
                AccountDoc = db.GetCollection("accounts").FindById(id),
                CreditAccountDoc = db.GetCollection("credit_accounts").FindById(id),
                ConsentDocs = db.GetCollection("consents").Find(Query.EQ("Resident", id)).ToList(),
                Awards = awards,
            };
        }

        private static string Field(string json, string prefix)
        {
            var from = json.IndexOf(prefix, StringComparison.Ordinal);
            if (from < 0)
            {
                throw new InvalidOperationException($"the engine's entry layout changed: no {prefix} in {json}");
            }

            from += prefix.Length;
            return json[from..json.IndexOf('"', from)];
        }
    }
}

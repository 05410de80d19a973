using System.Security.Cryptography;
using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Storage;
using NodaTime;

namespace Incentives;

/// <summary>
/// The engine (积分与信用引擎): opens a LiteDB file, loads the rules, and records, explains and reverses awards in an
/// idempotent, hash-chained ledger. Thread-safe: any number of threads may call it; every change goes through one
/// writer thread and is acknowledged only once it is durable.
/// </summary>
/// <example>
/// <code>
/// // clock: NodaTime's system clock in production, a FakeClock in tests.
/// using var engine = IncentivesEngine.Open(new IncentivesOptions { DatabasePath = "data/incentives.db" }, clock);
/// await engine.RegisterCommunityAsync(new CommunityId("east"), "东城社区");
/// var resident = (await engine.RegisterResidentAsync(new CommunityId("east"), "张三")).Value!;
/// var award = await engine.AwardAsync(new AwardRequest(resident.Id, new IndicatorCode("VOL-01"), 2.5m, "staff-1", "k-1"));
/// Console.WriteLine(award.Value!.Decision!.Explain());
/// </code>
/// </example>
public sealed partial class IncentivesEngine : IDisposable
{
    private const string KeyedFromKey = "keyedFrom";
    private const string HeadWrittenKey = "headWritten";

    private readonly IStore _store;
    private readonly CommandLog? _log;
    private readonly CommandWriter _writer;
    private readonly CatalogHistory _catalogs;
    private readonly IClock _clock;
    private readonly CreditBook _credit;
    private readonly LedgerKey _key;
    private readonly IncentivesOptions _options;
    private readonly ReadCache<Balance> _balances = new();
    private readonly ReadCache<CreditNow> _creditNow = new();
    private readonly ReadCache<StarsNow> _starsNow = new();
    private bool _disposed;

    private IncentivesEngine(IStore store, CommandLog? log, CommandWriter writer, CatalogHistory catalogs, IClock clock, LedgerKey key, IncentivesOptions options)
    {
        _options = options;
        _store = store;
        _log = log;
        _writer = writer;
        _catalogs = catalogs;
        _clock = clock;
        _key = key;
        _credit = new CreditBook(store, catalogs);
        store.Committed += residents =>
        {
            foreach (var cache in new IResidentCache[] { _balances, _creditNow, _starsNow })
            {
                if (residents is null)
                {
                    cache.Clear();
                }
                else
                {
                    cache.Changed(residents);
                }
            }
        };
    }

    /// <summary>The catalog registered last (the folder this engine was opened with).</summary>
    public CatalogSnapshot Catalog => _catalogs.Latest!;

    /// <summary>Every catalog version this store has seen, in registration order.</summary>
    public IReadOnlyList<CatalogSnapshot> CatalogVersions => _catalogs.Versions;

    /// <summary>Whether writes are being applied now, and if not why (a full disk, a store fault being recovered).
    /// Reads go on either way.</summary>
    public StoreHealth Health => _writer.Health;

    /// <summary>What the writer has done since the engine opened: batches, commands, documents written and read, and
    /// the time spent logging, applying and checkpointing.</summary>
    public EngineStatistics Statistics => _writer.Statistics(_store.Counters);

    internal CommandWriter Writer => _writer;

    internal IStore Store => _store;

    /// <summary>Opens the store, replays any durable commands it lacks, loads and registers the rules.</summary>
    /// <param name="options">Where the data and rules are.</param>
    /// <param name="clock">The clock: NodaTime's system clock in production, a fake one in tests. The engine reads no other.</param>
    /// <returns>The running engine; dispose it to close the store cleanly.</returns>
    /// <exception cref="RulesLoadException">The rules folder has errors; nothing was opened.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message lists every one with its range.</exception>
    /// <exception cref="StoreOpenException">The data folder cannot be opened as it is (a damaged or unreadable
    /// command log, a ledger that does not match its recorded head); the message says where and what to do.</exception>
    public static IncentivesEngine Open(IncentivesOptions options, IClock clock) => Open(options, clock, null);

    /// <summary>Opens the store to investigate it (the <c>verify</c> command): a ledger that does not match its
    /// recorded head opens anyway — <see cref="Verify"/> reports it — and no new head is recorded, so investigating
    /// never accepts a changed ledger. Use it only with the service stopped.</summary>
    /// <param name="options">Where the data and rules are.</param>
    /// <param name="clock">The clock.</param>
    /// <returns>The engine; dispose it.</returns>
    public static IncentivesEngine OpenForAudit(IncentivesOptions options, IClock clock) => Open(options, clock, null, audit: true);

    internal static IncentivesEngine Open(IncentivesOptions options, IClock clock, Func<bool>? crashAfterLog, bool audit = false, Func<IncentivesOptions, IStore>? adapter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("invalid IncentivesOptions: " + string.Join("; ", problems), nameof(options));
        }

        var rules = RulesLoader.Load(options.RulesDirectory);
        if (!rules.Succeeded)
        {
            throw new RulesLoadException(rules.Diagnostics);
        }

        if (options.DatabasePath is { } data && Path.GetDirectoryName(Path.GetFullPath(data)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        List<(long, LedgerCommand)> logged = [];
        var log = options.CommandLogPath is null ? null : CommandLog.Open(options.CommandLogPath, out logged);
        IStore? store = null;
        try
        {
            store = (adapter ?? OpenStore)(options);
            var catalogs = new CatalogHistory();
            foreach (var doc in store.CatalogsInOrder())
            {
                catalogs.Add(CanonicalForm.Deserialize(doc.Canonical));
            }

            // Entries from here on are hashed under the secret; older ones keep their plain hashes.
            if (store.GetMeta(KeyedFromKey) == 0)
            {
                store.SetMeta(KeyedFromKey, store.GetMeta(LedgerHandler.NextEntryIdKey) + 1);
            }

            var key = new LedgerKey(options.KeyPath is null ? RandomNumberGenerator.GetBytes(32) : LedgerKey.LoadOrCreate(options.KeyPath), store.GetMeta(KeyedFromKey));
            var disk = options.DatabasePath is null ? null : new DiskGuard(Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath))!, options.MinFreeDiskBytes);
            var writer = new CommandWriter(store, new CommandDispatcher(store, catalogs, key), log, options.MaxBatchSize, options.CommandLogCheckpointBytes, disk,
                () => audit ? null : WriteHead(store, options.HeadPath, clock), options.BatchLinger.ToTimeSpan())
            {
                CrashAfterLog = crashAfterLog,
            };
            writer.Replay(logged);
            if (!audit)
            {
                CheckHead(store, options);
            }

            writer.Start();
            var engine = new IncentivesEngine(store, log, writer, catalogs, clock, key, options);
            if (catalogs.Latest?.Hash != rules.Snapshot!.Hash)
            {
                engine.Submit<CatalogSnapshot>(new RegisterCatalogCommand(clock.GetCurrentInstant(), CanonicalForm.Serialize(rules.Snapshot))).GetAwaiter().GetResult();
            }

            return engine;
        }
        catch
        {
            store?.Dispose();
            log?.Dispose();
            throw;
        }
    }

    /// <summary>Accepts the data file as it is as the ledger's head (after an operator deliberately put back an older
    /// data file, e.g. from a backup without its head file): rewrites the head file from the ledger's last entry. Run
    /// <see cref="Verify"/> first; the service must be stopped.</summary>
    /// <param name="options">Where the data is.</param>
    /// <param name="clock">The clock.</param>
    /// <returns>The head now recorded.</returns>
    public static string AcceptHead(IncentivesOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        if (options.DatabasePath is null || options.HeadPath is null)
        {
            throw new ArgumentException("an in-memory store has no head file", nameof(options));
        }

        using var store = OpenStore(options);
        var head = WriteHead(store, options.HeadPath, clock);
        return $"entry {head?.LastEntryId ?? 0}, ledger hash {head?.LedgerHash}";
    }

    /// <summary>Removes the record at <paramref name="offset"/> from the command log (a damaged or unreadable record
    /// that stops the engine from opening; the message of the <see cref="StoreOpenException"/> names the offset). The
    /// command in it is lost; the original log is kept beside it. The service must be stopped.</summary>
    /// <param name="options">Where the data is.</param>
    /// <param name="offset">The byte offset of the record.</param>
    /// <param name="clock">The clock (names the kept original).</param>
    /// <returns>What was removed and where the original is.</returns>
    public static string RepairCommandLog(IncentivesOptions options, long offset, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var stamp = clock.GetCurrentInstant().ToString("uuuuMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        return CommandLog.DropAt(options.CommandLogPath ?? throw new ArgumentException("an in-memory store has no command log", nameof(options)), offset, stamp);
    }

    /// <summary>Creates a community with its time zone (default: the catalog's, <c>Asia/Shanghai</c>).</summary>
    /// <param name="id">The new community's id.</param>
    /// <param name="name">Its display name.</param>
    /// <param name="timeZoneId">A tzdb id, e.g. <c>Asia/Shanghai</c>.</param>
    /// <returns>The community, or a refusal (id taken, unknown zone).</returns>
    public Task<CommandResult<Community>> RegisterCommunityAsync(CommunityId id, string name, string? timeZoneId = null) =>
        Submit<CommandResult<Community>>(new RegisterCommunityCommand(_clock.GetCurrentInstant(), id, name, timeZoneId ?? Catalog.TimeZone.Id));

    /// <summary>Registers a resident in a community, with an empty account.</summary>
    /// <param name="community">The community.</param>
    /// <param name="displayName">The name staff see.</param>
    /// <param name="id">The id to use; null makes a new random one.</param>
    /// <param name="idempotencyKey">Optional: a retry with the same key (same community and name) returns the resident
    /// registered first instead of registering another.</param>
    /// <param name="birthYear">Optional: the year of birth (1900 to this year), the only age data kept; deductions for a
    /// resident under 14 are refused.</param>
    /// <returns>The resident, or a refusal (unknown community, id taken).</returns>
    public Task<CommandResult<Resident>> RegisterResidentAsync(CommunityId community, string displayName, ResidentId? id = null, string? idempotencyKey = null, int? birthYear = null) =>
        Submit<CommandResult<Resident>>(new RegisterResidentCommand(_clock.GetCurrentInstant(), id ?? NewResidentId(), community, displayName, idempotencyKey, birthYear));

    /// <summary>Activates or deactivates a resident; an inactive resident gets no new records.</summary>
    /// <param name="id">The resident.</param>
    /// <param name="status">The new status.</param>
    /// <returns>The resident, or a refusal (unknown resident).</returns>
    public Task<CommandResult<Resident>> SetResidentStatusAsync(ResidentId id, ResidentStatus status) =>
        Submit<CommandResult<Resident>>(new SetResidentStatusCommand(_clock.GetCurrentInstant(), id, status));

    /// <summary>Evaluates a record exactly as <see cref="AwardAsync"/> would now, without writing anything.</summary>
    /// <param name="request">The record (its idempotency key is ignored).</param>
    /// <returns>The decision with its explanation, or its refusals.</returns>
    public AwardDecision PreviewAward(AwardRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Plausible.Check(request.OccurredAt, "occurredAt") is { } implausible)
        {
            return new AwardDecision { Resident = request.Resident, Indicator = request.Indicator, Quantity = request.Quantity, Refusals = [implausible] };
        }

        return _store.Read(() => LedgerHandler.Evaluate(_store, new AccountState(_store), _catalogs, request, _clock.GetCurrentInstant()));
    }

    /// <summary>Records behaviour: evaluates it and posts the award or deduction with its explanation, at once. This is
    /// the trusted path (records reviewed elsewhere, imports, the engine's own entries); staff records go through
    /// <see cref="SubmitAsync"/>, which runs the catalog's governance loop.</summary>
    /// <param name="request">The record and its idempotency key.</param>
    /// <returns>The new entry (or the original one for a replayed key), or a refusal with the decision.</returns>
    public Task<CommandResult<JournalEntry>> AwardAsync(AwardRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Plausible.Check(request.OccurredAt, "occurredAt") is { } implausible
            ? Task.FromResult(CommandResult<JournalEntry>.Refused(implausible))
            : Submit<CommandResult<JournalEntry>>(new AwardCommand(_clock.GetCurrentInstant(), request));
    }

    /// <summary>Reverses an entry with a new entry pointing at it; each entry can be reversed once.</summary>
    /// <param name="request">What to reverse and why.</param>
    /// <returns>The reversal entry, or a refusal.</returns>
    public Task<CommandResult<JournalEntry>> ReverseAsync(ReversalRequest request) =>
        Submit<CommandResult<JournalEntry>>(new ReverseCommand(_clock.GetCurrentInstant(), request));

    /// <summary>Posts a manual adjustment (一事一议) with its mandatory reason.</summary>
    /// <param name="request">The adjustment.</param>
    /// <returns>The entry, or a refusal.</returns>
    public Task<CommandResult<JournalEntry>> AdjustAsync(AdjustmentRequest request) =>
        Submit<CommandResult<JournalEntry>>(new AdjustCommand(_clock.GetCurrentInstant(), request));

    /// <summary>Every community, by id.</summary>
    /// <returns>The communities.</returns>
    public IReadOnlyList<Community> GetCommunities() => _store.Read(() =>
        _store.AllCommunities().Select(c => new Community(new CommunityId(c.Id), c.Name, DateTimeZoneProviders.Tzdb[c.Zone])).ToList());

    /// <summary>Finds a resident.</summary>
    /// <param name="id">The resident's id.</param>
    /// <returns>The resident, or null.</returns>
    public Resident? GetResident(ResidentId id) => _store.Read(() =>
        _store.Residents.FindById(id.Value) is { } doc ? LedgerMapping.ToResident(doc) : null);

    /// <summary>A resident's materialised balance (no journal scan).</summary>
    /// <param name="id">The resident's id.</param>
    /// <returns>The balance, or null for an unknown resident.</returns>
    public Balance? GetBalance(ResidentId id)
    {
        // From memory while the account is unchanged: hot reads never touch the store.
        if (_balances.TryGet(id.Value, out var known))
        {
            return known;
        }

        var readAt = _balances.Version;
        var balance = _store.Read(() =>
            _store.Accounts.FindById(id.Value) is { } a ? new Balance(a.Available, a.Pending, a.Reserved, a.LifetimeEarned) { Submitted = a.Submitted } : null);
        if (balance is not null)
        {
            _balances.Keep(id.Value, balance, readAt);
        }

        return balance;
    }

    /// <summary>Finds a journal entry.</summary>
    /// <param name="id">The entry id.</param>
    /// <returns>The entry, or null.</returns>
    public JournalEntry? GetEntry(EntryId id) => _store.Read(() =>
        _store.Entries.FindById(id.Value) is { } doc ? LedgerMapping.ToEntry(doc) : null);

    /// <summary>One page of a resident's statement, newest first.</summary>
    /// <param name="query">Whose entries, which period and kind, which page.</param>
    /// <returns>The page with the total count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The page is below 1 or the page size outside 1–500.</exception>
    public Page<JournalEntry> GetStatement(StatementQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 500);
        Plausible.Require(query.From, nameof(query));
        Plausible.Require(query.To, nameof(query));
        return _store.Read(() =>
        {
            var docs = _store.Query(new StatementSpecification(query));
            var total = _store.Count(new StatementSpecification(query, paged: false));
            return new Page<JournalEntry>(docs.Select(LedgerMapping.ToEntry).ToList(), query.Page, query.PageSize, total);
        });
    }

    /// <summary>Checks a resident's journal: sequence, hash links, each entry's hash, and balance == Σ journal.</summary>
    /// <param name="id">The resident.</param>
    /// <returns>Whether the chain holds, and the first problem when not.</returns>
    public ChainVerification VerifyChain(ResidentId id) => _store.Read(() => ChainVerifier.Verify(_store, _key, id));

    /// <summary>Checks the whole ledger (审计): every resident's chain and balance, entry ids without a gap, the
    /// ledger-wide keyed chain, and the head recorded outside the data file at the last checkpoint. Editing an entry,
    /// re-linking a chain without the secret, or deleting entries is reported.</summary>
    /// <returns>The result, with one line per problem.</returns>
    public LedgerVerification Verify() =>
        _store.Read(() => ChainVerifier.VerifyAll(_store, _key, _options.HeadPath is { } head ? LedgerHead.Read(head) : null));

    /// <summary>A fingerprint of the state (balances and chain heads of every account, stock of every item, the
    /// ledger head): equal for two stores that hold the same ledger, e.g. a backup and its source.</summary>
    /// <returns>A lower-case hex SHA-256.</returns>
    public string Digest() => _store.Read(() => StateDigest.Of(_store));

    /// <summary>Copies the data file, its chain key and its ledger head into <paramref name="directory"/> (which must
    /// not exist or be empty), consistently, while writes go on: the writer takes the copy between two batches, right
    /// after a checkpoint.</summary>
    /// <param name="directory">Where to put the copy.</param>
    /// <returns>What was copied, with the digest of the state copied.</returns>
    /// <exception cref="IOException">The destination is not empty, or a copy failed.</exception>
    public async Task<BackupResult> BackupAsync(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (_options.DatabasePath is not { } data)
        {
            throw new InvalidOperationException("an in-memory store cannot be backed up");
        }

        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"the backup folder {directory} is not empty");
        }

        return (BackupResult)await _writer.Between(() =>
        {
            _writer.Checkpoint();
            Directory.CreateDirectory(directory);
            var files = new List<string>();
            foreach (var source in new[] { data, _options.KeyPath!, _options.HeadPath! }.Where(File.Exists))
            {
                var target = Path.Combine(directory, Path.GetFileName(source));
                File.Copy(source, target);
                DataFile.FlushToDisk(target);
                files.Add(Path.GetFileName(source));
            }

            return new BackupResult(directory, files, _store.GetMeta(LedgerHandler.NextEntryIdKey), StateDigest.Of(_store), _clock.GetCurrentInstant());
        });
    }

    /// <summary>Finishes queued commands, makes the data file durable and closes it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
        var clean = !_writer.Crashed && _writer.Health.Problem is not StoreProblem.Faulted and not StoreProblem.Unavailable;
        if (clean)
        {
            try
            {
                _writer.Checkpoint();
            }
            catch (IOException)
            {
                // A full disk at close: the command log keeps everything, and the next open replays it.
            }
        }

        _store.Dispose();
        _log?.Dispose();
    }

    // The composition point of the store port: LiteDB today; another adapter passes the same contract tests.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The port: nothing past this line may depend on the adapter.")]
    private static IStore OpenStore(IncentivesOptions options) =>
        options.DatabasePath is null ? Storage.LiteDb.LiteStore.OpenMemory() : Storage.LiteDb.LiteStore.OpenFile(options.DatabasePath);

    private static LedgerHead? WriteHead(IStore store, string? path, IClock clock)
    {
        var last = store.GetMeta(LedgerHandler.NextEntryIdKey);
        if (path is null || last == 0)
        {
            return null;
        }

        var head = new LedgerHead(last, store.Entries.FindById(last)?.LedgerHash ?? string.Empty, clock.GetCurrentInstant().ToString());
        head.Write(path);
        store.SetMeta(HeadWrittenKey, 1);
        return head;
    }

    // The fast check at start: a tail deleted from the data file, or an older data file put back, stops the start.
    private static void CheckHead(IStore store, IncentivesOptions options)
    {
        if (options.HeadPath is not { } path)
        {
            return;
        }

        var head = LedgerHead.Read(path);
        var problem = head is null
            ? store.GetMeta(HeadWrittenKey) == 1 ? $"the head file {path} is missing, though the ledger recorded one" : null
            : ChainVerifier.HeadProblem(store, head);
        if (problem is not null)
        {
            throw new StoreOpenException($"{options.DatabasePath}: {problem}. Nothing was changed. Run 'verify' to see what differs; " +
                "if you deliberately put back an older data file (a restored backup), accept it with 'accept-head'.");
        }
    }

    private static ResidentId NewResidentId() => new("r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));

    private async Task<T> Submit<T>(LedgerCommand command)
        where T : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (T)await _writer.Submit(command);
    }
}

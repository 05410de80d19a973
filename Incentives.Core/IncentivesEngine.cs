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
    private readonly LiteStore _store;
    private readonly CommandLog? _log;
    private readonly CommandWriter _writer;
    private readonly CatalogHistory _catalogs;
    private readonly IClock _clock;
    private readonly CreditBook _credit;
    private readonly IncentivesOptions _options;
    private bool _disposed;

    private IncentivesEngine(LiteStore store, CommandLog? log, CommandWriter writer, CatalogHistory catalogs, IClock clock, IncentivesOptions options)
    {
        _options = options;
        _store = store;
        _log = log;
        _writer = writer;
        _catalogs = catalogs;
        _clock = clock;
        _credit = new CreditBook(store, catalogs);
    }

    /// <summary>The catalog registered last (the folder this engine was opened with).</summary>
    public CatalogSnapshot Catalog => _catalogs.Latest!;

    /// <summary>Every catalog version this store has seen, in registration order.</summary>
    public IReadOnlyList<CatalogSnapshot> CatalogVersions => _catalogs.Versions;

    internal CommandWriter Writer => _writer;

    internal LiteStore Store => _store;

    /// <summary>Opens the store, replays any durable commands it lacks, loads and registers the rules.</summary>
    /// <param name="options">Where the data and rules are.</param>
    /// <param name="clock">The clock: NodaTime's system clock in production, a fake one in tests. The engine reads no other.</param>
    /// <returns>The running engine; dispose it to close the store cleanly.</returns>
    /// <exception cref="RulesLoadException">The rules folder has errors; nothing was opened.</exception>
    public static IncentivesEngine Open(IncentivesOptions options, IClock clock) => Open(options, clock, null);

    internal static IncentivesEngine Open(IncentivesOptions options, IClock clock, Func<bool>? crashAfterLog)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var rules = RulesLoader.Load(options.RulesDirectory);
        if (!rules.Succeeded)
        {
            throw new RulesLoadException(rules.Diagnostics);
        }

        var store = options.DatabasePath is null ? LiteStore.OpenMemory() : LiteStore.OpenFile(options.DatabasePath);
        var catalogs = new CatalogHistory();
        foreach (var doc in store.Catalogs.Query().OrderBy(c => c.Order).ToList())
        {
            catalogs.Add(CanonicalForm.Deserialize(doc.Canonical));
        }

        List<(long, LedgerCommand)> logged = [];
        var log = options.CommandLogPath is null ? null : CommandLog.Open(options.CommandLogPath, out logged);
        var writer = new CommandWriter(store, new LedgerProcessor(store, catalogs), log, options.MaxBatchSize, options.CommandLogCheckpointBytes)
        {
            CrashAfterLog = crashAfterLog,
        };
        writer.Replay(logged);
        writer.Start();
        var engine = new IncentivesEngine(store, log, writer, catalogs, clock, options);
        if (catalogs.Latest?.Hash != rules.Snapshot!.Hash)
        {
            engine.Submit<CatalogSnapshot>(new RegisterCatalogCommand(clock.GetCurrentInstant(), CanonicalForm.Serialize(rules.Snapshot))).GetAwaiter().GetResult();
        }

        return engine;
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
    /// <returns>The resident, or a refusal (unknown community, id taken).</returns>
    public Task<CommandResult<Resident>> RegisterResidentAsync(CommunityId community, string displayName, ResidentId? id = null, string? idempotencyKey = null) =>
        Submit<CommandResult<Resident>>(new RegisterResidentCommand(_clock.GetCurrentInstant(), id ?? NewResidentId(), community, displayName, idempotencyKey));

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
        return LedgerProcessor.Evaluate(_store, _catalogs, request, _clock.GetCurrentInstant());
    }

    /// <summary>Records behaviour: evaluates it and posts the award or deduction with its explanation.</summary>
    /// <param name="request">The record and its idempotency key.</param>
    /// <returns>The new entry (or the original one for a replayed key), or a refusal with the decision.</returns>
    public Task<CommandResult<JournalEntry>> AwardAsync(AwardRequest request) =>
        Submit<CommandResult<JournalEntry>>(new AwardCommand(_clock.GetCurrentInstant(), request));

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
    public IReadOnlyList<Community> GetCommunities() =>
        _store.Communities.FindAll().OrderBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => new Community(new CommunityId(c.Id), c.Name, DateTimeZoneProviders.Tzdb[c.Zone])).ToList();

    /// <summary>Finds a resident.</summary>
    /// <param name="id">The resident's id.</param>
    /// <returns>The resident, or null.</returns>
    public Resident? GetResident(ResidentId id) =>
        _store.Residents.FindById(id.Value) is { } doc ? LedgerProcessor.ToResident(doc) : null;

    /// <summary>A resident's materialised balance (no journal scan).</summary>
    /// <param name="id">The resident's id.</param>
    /// <returns>The balance, or null for an unknown resident.</returns>
    public Balance? GetBalance(ResidentId id) =>
        _store.Accounts.FindById(id.Value) is { } a ? new Balance(a.Available, a.Pending, a.Reserved, a.LifetimeEarned) : null;

    /// <summary>Finds a journal entry.</summary>
    /// <param name="id">The entry id.</param>
    /// <returns>The entry, or null.</returns>
    public JournalEntry? GetEntry(EntryId id) =>
        _store.Entries.FindById(id.Value) is { } doc ? LedgerProcessor.ToEntry(doc) : null;

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
        var docs = LiteStore.Evaluate(_store.Entries, new StatementSpecification(query));
        var total = LiteStore.Count(_store.Entries, new StatementSpecification(query, paged: false));
        return new Page<JournalEntry>(docs.Select(LedgerProcessor.ToEntry).ToList(), query.Page, query.PageSize, total);
    }

    /// <summary>Checks a resident's journal: sequence, hash links, each entry's hash, and balance == Σ journal.</summary>
    /// <param name="id">The resident.</param>
    /// <returns>Whether the chain holds, and the first problem when not.</returns>
    public ChainVerification VerifyChain(ResidentId id) => ChainVerifier.Verify(_store, id);

    /// <summary>Finishes queued commands, makes the data file durable and closes it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
        if (!_writer.Crashed)
        {
            _store.Database.Checkpoint();
        }

        _store.Dispose();
        if (_log is not null)
        {
            if (!_writer.Crashed && _store.Path is not null)
            {
                DataFile.FlushToDisk(_store.Path);
                _log.Reset();
            }

            _log.Dispose();
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

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

    private static ResidentId NewResidentId() => new("r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));

    private async Task<T> Submit<T>(LedgerCommand command)
        where T : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (T)await _writer.Submit(command);
    }
}

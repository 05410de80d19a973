using Incentives.Credit;
using Incentives.Ledger;
using NodaTime;

namespace Incentives;

/// <summary>Credit (信用+): records, consent, score and tier as of any instant, volunteer stars, benefit eligibility.</summary>
public sealed partial class IncentivesEngine
{
    /// <summary>Records a manual credit change (一事一议) with its reason and document.</summary>
    /// <param name="request">The record and its idempotency key.</param>
    /// <returns>The record, or a refusal.</returns>
    public Task<CommandResult<CreditRecord>> RecordCreditAsync(ManualCreditRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Plausible.Check(request.ValidFrom, "validFrom") is { } implausible
            ? Task.FromResult(CommandResult<CreditRecord>.Refused(implausible))
            : Submit<CommandResult<CreditRecord>>(new ManualCreditCommand(_clock.GetCurrentInstant(), request));
    }

    /// <summary>Grades a resident directly (直接评级): their tier is at most the given one for the given years.</summary>
    /// <param name="request">The grading and its idempotency key.</param>
    /// <returns>The grading record, or a refusal.</returns>
    public Task<CommandResult<CreditRecord>> GradeDirectlyAsync(DirectGradingRequest request) =>
        Submit<CommandResult<CreditRecord>>(new DirectGradingCommand(_clock.GetCurrentInstant(), request));

    /// <summary>Repairs a credit record (信用修复) with a new record pointing at it: a smaller delta or an earlier end.</summary>
    /// <param name="request">The repair and its idempotency key.</param>
    /// <returns>The repair record, or a refusal.</returns>
    public Task<CommandResult<CreditRecord>> RepairCreditAsync(CreditRepairRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Plausible.Check(request.NewValidTo, "newValidTo") is { } implausible
            ? Task.FromResult(CommandResult<CreditRecord>.Refused(implausible))
            : Submit<CommandResult<CreditRecord>>(new CreditRepairCommand(_clock.GetCurrentInstant(), request));
    }

    /// <summary>Records the resident's consent to credit scoring, from now on. Granting twice changes nothing.</summary>
    /// <param name="resident">Who consents.</param>
    /// <param name="recordedBy">Who records it.</param>
    /// <returns>The consent state.</returns>
    public Task<CommandResult<ConsentState>> GrantConsentAsync(ResidentId resident, string recordedBy) =>
        Submit<CommandResult<ConsentState>>(new ConsentCommand(_clock.GetCurrentInstant(), resident, true, recordedBy));

    /// <summary>Records that the resident withdrew consent: unrated from now on; past answers stay as they were.</summary>
    /// <param name="resident">Who withdraws.</param>
    /// <param name="recordedBy">Who records it.</param>
    /// <returns>The consent state.</returns>
    public Task<CommandResult<ConsentState>> RevokeConsentAsync(ResidentId resident, string recordedBy) =>
        Submit<CommandResult<ConsentState>>(new ConsentCommand(_clock.GetCurrentInstant(), resident, false, recordedBy));

    /// <summary>A resident's credit score and tier as of an instant.</summary>
    /// <param name="resident">Who.</param>
    /// <param name="asOf">The instant; null means now.</param>
    /// <param name="asKnownNow">False (the default): count only records recorded by <paramref name="asOf"/>, so the
    /// answer for a past instant never changes. True: count every record known now.</param>
    /// <returns>The standing (unrated without consent), or null for an unknown resident.</returns>
    public CreditStanding? GetCredit(ResidentId resident, Instant? asOf = null, bool asKnownNow = false)
    {
        Plausible.Require(asOf, nameof(asOf));
        if (GetResident(resident) is null)
        {
            return null;
        }

        var now = _clock.GetCurrentInstant();
        if (asOf is null || asOf == now)
        {
            return CreditStandingNow(resident, now);
        }

        var when = asOf.Value;
        return _store.Read(() => _credit.Standing(resident, when, asKnownNow ? now : when, now));
    }

    // "Now" is the hot question (a partner asking for a tier): answered from memory while no record starts or expires,
    // the catalog is the same and the resident's credit and consent are unchanged.
    private CreditStanding CreditStandingNow(ResidentId resident, Instant now)
    {
        var ticks = now.ToUnixTimeTicks();
        if (_creditNow.TryGet(resident.Value, out var known) && known.From <= ticks && ticks < known.Until && known.Catalogs == _catalogs.Versions.Count)
        {
            return known.Standing with { AsOf = now, KnownAt = now };
        }

        var readAt = _creditNow.Version;
        var catalogs = _catalogs.Versions.Count;
        var (standing, until) = _store.Read(() => _credit.StandingNow(resident, now));
        if (until > ticks)
        {
            _creditNow.Keep(resident.Value, new CreditNow(standing, ticks, until, catalogs), readAt);
        }

        return standing;
    }

    /// <summary>Every credit record of a resident, oldest first, including reversals and repairs.</summary>
    /// <param name="resident">Who.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<CreditRecord> GetCreditRecords(ResidentId resident) => _store.Read(() => _credit.Records(resident));

    /// <summary>One credit record.</summary>
    /// <param name="id">The record's id.</param>
    /// <returns>The record, or null.</returns>
    public CreditRecord? GetCreditRecord(long id) => _store.Read(() => _credit.FindRecord(id));

    /// <summary>Whether and since when the resident consents to credit scoring.</summary>
    /// <param name="resident">Who.</param>
    /// <returns>The current consent state, or null when never recorded.</returns>
    public ConsentState? GetConsent(ResidentId resident) => _store.Read(() => _credit.Consent(resident, _clock.GetCurrentInstant()));

    /// <summary>Every consent and withdrawal the resident gave (同意 / 撤回), newest first: who recorded it and when.</summary>
    /// <param name="resident">Who.</param>
    /// <returns>The changes; empty when consent was never recorded.</returns>
    public IReadOnlyList<ConsentState> GetConsentHistory(ResidentId resident)
    {
        var id = resident.Value;
        return _store.Read(() =>
        {
            var events = _store.ConsentsOf(id);
            var history = new List<ConsentState>(events.Count);
            for (var i = events.Count - 1; i >= 0; i--)
            {
                history.Add(new ConsentState(resident, events[i].Granted, NodaTime.Instant.FromUnixTimeTicks(events[i].At), events[i].By));
            }

            return history;
        });
    }

    /// <summary>Volunteer hours and stars (星级志愿者) as of an instant.</summary>
    /// <param name="resident">Who.</param>
    /// <param name="asOf">The instant; null means now.</param>
    /// <returns>The standing, or null for an unknown resident.</returns>
    public VolunteerStanding? GetVolunteerStanding(ResidentId resident, Instant? asOf = null)
    {
        Plausible.Require(asOf, nameof(asOf));
        if (GetResident(resident) is null)
        {
            return null;
        }

        var now = _clock.GetCurrentInstant();
        if (asOf is { } when && when != now)
        {
            return _store.Read(() => _credit.Stars(resident, when));
        }

        // Now: every record counts (none is dated in the future), so the standing holds until the hours change.
        if (_starsNow.TryGet(resident.Value, out var known) && known.Catalogs == _catalogs.Versions.Count)
        {
            return known.Standing with { AsOf = now };
        }

        var readAt = _starsNow.Version;
        var catalogs = _catalogs.Versions.Count;
        var standing = _store.Read(() => _credit.Stars(resident, now));
        _starsNow.Keep(resident.Value, new StarsNow(standing, catalogs), readAt);
        return standing;
    }

    /// <summary>Decides and stores whether a resident is eligible for a benefit as of an instant.</summary>
    /// <param name="benefit">The policy code, e.g. <c>HEATING-SUBSIDY</c>.</param>
    /// <param name="resident">Who.</param>
    /// <param name="asOf">The instant; null means now.</param>
    /// <returns>The decision with a stable id, or a refusal (unknown resident or benefit).</returns>
    public async Task<CommandResult<EligibilityDecision>> DecideEligibilityAsync(string benefit, ResidentId resident, Instant? asOf = null)
    {
        if (GetResident(resident) is null)
        {
            return CommandResult<EligibilityDecision>.Refused(LedgerMapping.UnknownResident(resident));
        }

        var batch = await DecideEligibilityBatchAsync(benefit, [resident], asOf);
        return batch.Value is { } b ? CommandResult<EligibilityDecision>.Ok(b.Decisions[0]) : CommandResult<EligibilityDecision>.Refused(batch.Refusal!);
    }

    /// <summary>The most residents <see cref="DecideEligibilityBatchAsync"/> takes in one call (10,000).</summary>
    public const int MaxEligibilityBatch = 10_000;

    /// <summary>Decides eligibility for up to <see cref="MaxEligibilityBatch"/> residents in one call, in request order. Unknown residents get a
    /// decision that says so. The decisions are made by reads (in parallel, a few residents at a time, so the writer
    /// is never held up for long) and then stored, numbered, in short commands of 256 decisions each (a batch's ids are
    /// increasing but may skip numbers another caller's decisions took in between).</summary>
    /// <param name="benefit">The policy code.</param>
    /// <param name="residents">Who, 1 to 10,000.</param>
    /// <param name="asOf">The instant; null means now.</param>
    /// <returns>The decisions, or a refusal (unknown benefit, batch size).</returns>
    public async Task<CommandResult<EligibilityBatch>> DecideEligibilityBatchAsync(string benefit, IReadOnlyList<ResidentId> residents, Instant? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(residents);
        if (Plausible.Check(asOf, "asOf") is { } implausible)
        {
            return CommandResult<EligibilityBatch>.Refused(implausible);
        }

        var at = _clock.GetCurrentInstant();
        var when = asOf ?? at;
        if (CreditBook.CheckBatch(residents.Count, when, at) is { } refusal)
        {
            return CommandResult<EligibilityBatch>.Refused(refusal);
        }

        var decisions = new EligibilityDecision?[residents.Count];
        var zones = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeZone>(StringComparer.Ordinal);
        const int Chunk = 64; // each read lock is held for a few milliseconds at most
        await Parallel.ForEachAsync(Enumerable.Range(0, (residents.Count + Chunk - 1) / Chunk), (chunk, _) =>
        {
            _store.Read(() =>
            {
                for (var i = chunk * Chunk; i < Math.Min(residents.Count, (chunk + 1) * Chunk); i++)
                {
                    decisions[i] = _credit.Decide(benefit, residents[i], when, at, zones);
                }

                return 0;
            });
            return ValueTask.CompletedTask;
        });

        if (decisions.Any(d => d is null))
        {
            return CommandResult<EligibilityBatch>.Refused(CreditBook.UnknownBenefit(benefit));
        }

        // Stored in chunks, each its own short command awaited in turn, so the writer is never held for the whole batch
        // (10,000 decisions in one command held it ~0.8 s in the bench); awards queued meanwhile go between chunks.
        var stored = new List<EligibilityDecision>(decisions.Length);
        for (var start = 0; start < decisions.Length; start += StoreChunk)
        {
            var chunk = decisions.AsSpan(start, Math.Min(StoreChunk, decisions.Length - start)).ToArray();
            var result = await Submit<CommandResult<EligibilityBatch>>(new StoreEligibilityCommand(at, chunk!));
            if (!result.TryGetValue(out var part))
            {
                return result;
            }

            stored.AddRange(part.Decisions);
        }

        return CommandResult<EligibilityBatch>.Ok(new EligibilityBatch(stored));
    }

    // About 25 ms of writer time per chunk on this machine's figures (0.8 s per 10,000).
    private const int StoreChunk = 256;

    /// <summary>Looks up a stored eligibility decision by its id: the same answer as when it was made.</summary>
    /// <param name="id">The decision id.</param>
    /// <returns>The decision, or null.</returns>
    public EligibilityDecision? GetEligibilityDecision(string id) => _store.Read(() => _credit.FindDecision(id));
}

/// <summary>A credit standing "now", valid from one instant until the next change by itself.</summary>
internal sealed record CreditNow(CreditStanding Standing, long From, long Until, int Catalogs);

/// <summary>A volunteer standing "now", valid until the resident's hours change.</summary>
internal sealed record StarsNow(VolunteerStanding Standing, int Catalogs);

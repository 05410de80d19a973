using Incentives.Governance;
using Incentives.Ledger;
using Incentives.Rules;

namespace Incentives;

/// <summary>The governance loop (审核 → 公示 → 确认, 复核): docs/governance.md.</summary>
public sealed partial class IncentivesEngine
{
    /// <summary>The most records or appeals one list returns.</summary>
    public const int MaxGovernanceList = 500;

    /// <summary>Records behaviour through the catalog's governance loop: evaluates it (fixing its points and holding
    /// its caps), checks the recorder's daily budget, then either posts it at once (when its indicator needs neither
    /// approval nor posting) or enters it in the loop as submitted (needs approval) or pending (posted in public).</summary>
    /// <param name="request">The record; <see cref="AwardRequest.RecordedBy"/> is the staff member submitting it.</param>
    /// <returns>The entry, or the record in the loop; or a refusal with the decision.</returns>
    public Task<CommandResult<Submission>> SubmitAsync(AwardRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Plausible.Check(request.OccurredAt, "occurredAt") is { } implausible
            ? Task.FromResult(CommandResult<Submission>.Refused(implausible))
            : Submit<CommandResult<Submission>>(new SubmitCommand(_clock.GetCurrentInstant(), request));
    }

    /// <summary>Approves a submitted record (审核通过): by another person than its submitter. It is then posted, or
    /// confirmed when its indicator needs no posting.</summary>
    /// <param name="request">The record and the reviewer.</param>
    /// <returns>The record as it now stands, or a refusal (<see cref="RefusalCode.SelfApproval"/> for the submitter).</returns>
    public Task<CommandResult<GovernanceRecord>> ApproveAsync(ReviewRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Submit<CommandResult<GovernanceRecord>>(new ReviewCommand(_clock.GetCurrentInstant(), request, Approve: true));
    }

    /// <summary>Rejects a submitted record (驳回) with a reason: its held caps are given back.</summary>
    /// <param name="request">The record, the reviewer and the reason.</param>
    /// <returns>The record as it now stands, or a refusal.</returns>
    public Task<CommandResult<GovernanceRecord>> RejectAsync(ReviewRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Submit<CommandResult<GovernanceRecord>>(new ReviewCommand(_clock.GetCurrentInstant(), request, Approve: false));
    }

    /// <summary>Objects to a record during its public posting (提出异议): it then waits for a manager's decision
    /// and is not confirmed by the end of its posting.</summary>
    /// <param name="request">The record, who objects and why.</param>
    /// <returns>The record as it now stands, or a refusal (after the posting's end instant, for instance).</returns>
    public Task<CommandResult<GovernanceRecord>> ObjectAsync(ObjectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Submit<CommandResult<GovernanceRecord>>(new ObjectCommand(_clock.GetCurrentInstant(), request));
    }

    /// <summary>Decides an objected record: confirms it, or voids it (it leaves no trace in balances, caps or credit
    /// but its own entries).</summary>
    /// <param name="request">The decision.</param>
    /// <returns>The record as it now stands, or a refusal.</returns>
    public Task<CommandResult<GovernanceRecord>> DecideObjectionAsync(ObjectionDecisionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Submit<CommandResult<GovernanceRecord>>(new DecideObjectionCommand(_clock.GetCurrentInstant(), request));
    }

    /// <summary>Appeals a deduction or a negative credit record (申请复核) within the catalog's appeal period after
    /// its confirmation; its credit record stops counting until decided.</summary>
    /// <param name="request">What is appealed, by whom, why.</param>
    /// <returns>The appeal, or a refusal.</returns>
    public Task<CommandResult<Appeal>> AppealAsync(AppealRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Submit<CommandResult<Appeal>>(new AppealCommand(_clock.GetCurrentInstant(), request));
    }

    /// <summary>Decides an appeal: upheld (the record counts again), reduced (a smaller deduction: the difference
    /// is given back and the credit delta scaled), or voided (the deduction reversed, its credit record cancelled).</summary>
    /// <param name="request">The decision.</param>
    /// <returns>The appeal as decided, or a refusal.</returns>
    public Task<CommandResult<Appeal>> DecideAppealAsync(AppealDecisionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Submit<CommandResult<Appeal>>(new DecideAppealCommand(_clock.GetCurrentInstant(), request));
    }

    /// <summary>A record in the loop.</summary>
    /// <param name="id">The record's id.</param>
    /// <returns>The record, or null.</returns>
    public GovernanceRecord? GetGovernanceRecord(long id) => _store.Read(() =>
        _store.Records.FindById(id) is { } doc ? GovernanceHandler.ToRecord(doc) : null);

    /// <summary>A community's records in the given statuses, oldest first (the review queue is oldest first).</summary>
    /// <param name="community">The community.</param>
    /// <param name="statuses">The statuses wanted.</param>
    /// <param name="limit">At most this many (1–<see cref="MaxGovernanceList"/>).</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<GovernanceRecord> GetGovernanceRecords(CommunityId community, IReadOnlyCollection<RecordStatus> statuses, int limit = 100)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var wanted = statuses.Select(s => (int)s).ToHashSet();
        var n = Math.Clamp(limit, 1, MaxGovernanceList);
        return _store.Read(() => _store.RecordsOf(community.Value, wanted, n).Select(GovernanceHandler.ToRecord).ToList());
    }

    /// <summary>A resident's records in the loop, newest first.</summary>
    /// <param name="resident">The resident.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<GovernanceRecord> GetGovernanceRecordsOf(ResidentId resident) =>
        _store.Read(() => _store.RecordsOfResident(resident.Value).Select(GovernanceHandler.ToRecord).ToList());

    /// <summary>An appeal.</summary>
    /// <param name="id">The appeal's id.</param>
    /// <returns>The appeal, or null.</returns>
    public Appeal? GetAppeal(long id) => _store.Read(() => _store.Appeals.FindById(id) is { } doc ? GovernanceHandler.ToAppeal(doc) : null);

    /// <summary>A community's appeals in the given statuses, oldest first.</summary>
    /// <param name="community">The community.</param>
    /// <param name="statuses">The statuses wanted.</param>
    /// <param name="limit">At most this many (1–<see cref="MaxGovernanceList"/>).</param>
    /// <returns>The appeals.</returns>
    public IReadOnlyList<Appeal> GetAppeals(CommunityId community, IReadOnlyCollection<AppealStatus> statuses, int limit = 100)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var wanted = statuses.Select(s => (int)s).ToHashSet();
        var n = Math.Clamp(limit, 1, MaxGovernanceList);
        return _store.Read(() => _store.AppealsOf(community.Value, wanted, n).Select(GovernanceHandler.ToAppeal).ToList());
    }

    /// <summary>A resident's appeals, newest first.</summary>
    /// <param name="resident">The resident.</param>
    /// <returns>The appeals.</returns>
    public IReadOnlyList<Appeal> GetAppealsOf(ResidentId resident) =>
        _store.Read(() => _store.AppealsOfResident(resident.Value).Select(GovernanceHandler.ToAppeal).ToList());
}

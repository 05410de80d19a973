using System.Globalization;
using System.Text;
using System.Text.Json;
using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Storage;
using Incentives.Utility;
using NodaTime;

namespace Incentives.Governance;

/// <summary>
/// The governance loop's commands (docs/governance.md): submit, approve, reject, post, object, decide, confirm; and
/// appeals. Runs only on the writer thread, inside the writer's unit of work; like the ledger, it decides first and
/// writes only once sure, so a refusal writes nothing.
/// </summary>
/// <remarks>
/// A record's evaluation and everything evaluation reads (cap counters, offences, service hours, acts) are fixed at
/// submission, so caps are held while a record waits; a rejected or voided record gives them back. Points move only
/// where the journal shows them: an award enters the account's pending part when posted (an Award entry) and becomes
/// available at confirmation (a Confirmation entry, which opens its lot and makes its credit record); a deduction is
/// written when it is confirmed. So available + reserved + pending is always the sum of the journal.
/// </remarks>
internal sealed partial class GovernanceHandler(IStore store, CatalogHistory catalogs, LedgerKey ledgerKey, LedgerHandler ledger, CreditBook credit, LotBook lots, AccountState accounts)
{
    private const string RecordSequence = "governanceRecordId";

    public CommandResult<Submission> Submit(SubmitCommand c)
    {
        var r = c.Request;
        var payload = PayloadHash.Of(r);
        if (Idempotency.Check(store, "submit:", r.IdempotencyKey, payload, (IdempotencyDoc used) => new Submission(null, Load(used.EntryId))) is { } replay)
        {
            return replay;
        }

        if (Idempotency.CheckEntry(store, "award:", r.IdempotencyKey, payload) is { } direct)
        {
            return direct.Value is { } entry
                ? CommandResult<Submission>.Ok(new Submission(entry, null), replayed: true)
                : CommandResult<Submission>.Refused(direct.Refusal!);
        }

        if (string.IsNullOrWhiteSpace(r.RecordedBy))
        {
            return CommandResult<Submission>.Refused(new Refusal(RefusalCode.InvalidArgument, "recordedBy", "who records it is required", "须填写记录人"));
        }

        var decision = LedgerHandler.Evaluate(store, accounts, catalogs, r, c.At);
        if (!decision.Accepted)
        {
            return CommandResult<Submission>.Refused(decision.Refusals[0], decision);
        }

        var catalog = catalogs.FindByHash(decision.CatalogHash)!;
        var indicator = catalog.FindIndicator(r.Indicator)!;
        var loop = catalog.Loop;
        var zone = ZoneOf(r.Resident);
        if (BudgetRefusal(loop, r.RecordedBy, decision.Awarded, c.At.InZone(zone).Date) is { } overBudget)
        {
            return CommandResult<Submission>.Refused(overBudget, decision);
        }

        var needsApproval = loop.NeedsApproval(indicator, decision.Awarded);
        var needsPosting = loop.NeedsPosting(indicator, decision.Awarded);
        if (!needsApproval && !needsPosting)
        {
            var posted = ledger.Award(new AwardCommand(c.At, r));
            if (posted.Value is { } e)
            {
                Spend(loop, r.RecordedBy, decision.Awarded, c.At.InZone(zone).Date);
                return CommandResult<Submission>.Ok(new Submission(e, null));
            }

            return CommandResult<Submission>.Refused(posted.Refusal!, posted.Decision);
        }

        Spend(loop, r.RecordedBy, decision.Awarded, c.At.InZone(zone).Date);
        var id = store.Next(RecordSequence);
        var resident = store.Residents.Require(r.Resident.Value);
        var record = new GovernanceRecord
        {
            Id = id,
            Resident = r.Resident,
            Community = new CommunityId(resident.Community),
            Indicator = r.Indicator,
            Points = decision.Awarded,
            CreditDelta = decision.CreditDelta,
            OccurredAt = r.OccurredAt ?? c.At,
            Status = RecordStatus.Submitted,
            SubmittedBy = r.RecordedBy,
            SubmittedAt = c.At,
            NeedsApproval = needsApproval,
            NeedsPosting = needsPosting,
            PostingDays = loop.PostingDaysFor(indicator),
            Evidence = r.Evidence,
            Decision = decision,
            IdempotencyKey = r.IdempotencyKey,
        };
        Hold(record, indicator, catalog, +1);
        record = Step(record, GovernanceStepKind.Submitted, c.At, r.RecordedBy, null, null);
        if (decision.Awarded > 0)
        {
            var account = store.Accounts.Require(r.Resident.Value);
            account.Submitted = checked(account.Submitted + decision.Awarded);
            store.Accounts.Update(account);
        }

        if (!needsApproval)
        {
            record = Post(record, c.At);
        }

        Save(record, insert: true);
        Idempotency.Remember(store, "submit:" + r.IdempotencyKey, payload, id);
        return CommandResult<Submission>.Ok(new Submission(null, record));
    }

    public CommandResult<GovernanceRecord> Review(ReviewCommand c)
    {
        var r = c.Request;
        var scope = c.Approve ? "approve:" : "reject:";
        var payload = PayloadHash.Sha256(string.Join('\u001f', scope, r.Record.ToString(CultureInfo.InvariantCulture), r.By, r.Reason ?? string.Empty));
        if (Idempotency.Check(store, scope, r.IdempotencyKey, payload, (long id) => Load(id)) is { } replay)
        {
            return replay;
        }

        if (Find(r.Record) is not { } record)
        {
            return CommandResult<GovernanceRecord>.Refused(Unknown(r.Record));
        }

        if (record.Status != RecordStatus.Submitted)
        {
            return CommandResult<GovernanceRecord>.Refused(WrongState(record, "审核", "reviewed", RecordStatus.Submitted));
        }

        if (string.IsNullOrWhiteSpace(r.By))
        {
            return CommandResult<GovernanceRecord>.Refused(new Refusal(RefusalCode.InvalidArgument, "by", "who reviews it is required", "须填写审核人"));
        }

        if (string.Equals(r.By, record.SubmittedBy, StringComparison.Ordinal))
        {
            return CommandResult<GovernanceRecord>.Refused(new Refusal(RefusalCode.SelfApproval, "recordId",
                $"record {record.Id} was submitted by {record.SubmittedBy}: another person must review it",
                $"记录 {record.Id} 由 {record.SubmittedBy} 提交, 须由另一人审核"));
        }

        if ((!c.Approve && string.IsNullOrWhiteSpace(r.Reason)) || r.Reason?.Length > 500)
        {
            return CommandResult<GovernanceRecord>.Refused(new Refusal(RefusalCode.InvalidArgument, "reason", "a rejection needs a reason of 1–500 characters", "驳回须填写 1–500 字的理由"));
        }

        if (c.Approve)
        {
            record = Step(record, GovernanceStepKind.Approved, c.At, r.By, r.Reason, null);
            record = Post(record, c.At);
        }
        else
        {
            record = Undo(record, c.At, r.By, r.Reason!, RecordStatus.Rejected, GovernanceStepKind.Rejected);
        }

        Save(record);
        Idempotency.Remember(store, scope + r.IdempotencyKey, payload, record.Id);
        return CommandResult<GovernanceRecord>.Ok(record);
    }

    /// <summary>After approval (or at once when none is needed): posted in public, or confirmed when no posting is needed.</summary>
    private GovernanceRecord Post(GovernanceRecord record, Instant at)
    {
        if (!record.NeedsPosting)
        {
            return Confirm(record, at, record.NeedsApproval ? record.Steps[^1].By : record.SubmittedBy, null);
        }

        // The end instant is the same local time PostingDays calendar days later in the community's zone (a DST gap
        // resolves forward), so "3 days" means what the notice on the wall says.
        var zone = ZoneOf(record.Resident);
        var ends = at.InZone(zone).LocalDateTime.PlusDays(record.PostingDays).InZoneLeniently(zone).ToInstant();
        EntryId? entry = null;
        if (record.Points > 0)
        {
            var account = store.Accounts.Require(record.Resident.Value);
            account.Submitted -= record.Points;
            account.Pending = checked(account.Pending + record.Points);
            entry = ledger.Append(account, new JournalEntry
            {
                Id = default,
                Resident = record.Resident,
                Sequence = 0,
                Kind = EntryKind.Award,
                Indicator = record.Indicator,
                Points = record.Points,
                CreditDelta = record.CreditDelta,
                OccurredAt = record.OccurredAt,
                RecordedAt = at,
                RecordedBy = record.SubmittedBy,
                Evidence = record.Evidence,
                Decision = record.Decision,
                Reason = $"公示至 {Local(ends, zone)}, 期满无异议方计入可用积分 / posted in public until {Local(ends, zone)}; available once confirmed",
                IdempotencyKey = record.IdempotencyKey,
                PreviousHash = string.Empty,
            }, "award:" + record.IdempotencyKey, "record:" + record.Id.ToString(CultureInfo.InvariantCulture)).Id;
        }

        record = record with { Status = RecordStatus.Pending, PostingEndsAt = ends, Entry = entry ?? record.Entry };
        return Step(record, GovernanceStepKind.Posted, at, LedgerHandler.SystemActor, null, entry);
    }

    /// <summary>Makes the record count: its points available (an award's lot opens), its credit record in force.</summary>
    private GovernanceRecord Confirm(GovernanceRecord record, Instant at, string by, string? reason)
    {
        var account = store.Accounts.Require(record.Resident.Value);
        JournalEntry counted;
        EntryId written;
        if (record.Points > 0 && record.Entry is { } pending)
        {
            // Posted earlier: pending → available, by an entry of 0 that says so.
            var award = LedgerMapping.ToEntry(store.Entries.Require(pending.Value));
            account.Pending -= record.Points;
            account.Available = checked(account.Available + record.Points);
            account.LifetimeEarned = checked(account.LifetimeEarned + record.Points);
            written = ledger.Append(account, new JournalEntry
            {
                Id = default,
                Resident = record.Resident,
                Sequence = 0,
                Kind = EntryKind.Confirmation,
                Indicator = record.Indicator,
                Points = 0,
                OccurredAt = record.OccurredAt,
                RecordedAt = at,
                RecordedBy = by,
                Reason = reason is null ? $"公示期满, 确认 #{pending} 的 {record.Points} 分 / posting ended: {record.Points} points of #{pending} confirmed"
                    : $"确认 #{pending} ({reason}) / #{pending} confirmed ({reason})",
                Regarding = pending,
                IdempotencyKey = "confirm:" + record.Id.ToString(CultureInfo.InvariantCulture),
                PreviousHash = string.Empty,
            }, "system:confirm:" + record.Id.ToString(CultureInfo.InvariantCulture), "record:" + record.Id.ToString(CultureInfo.InvariantCulture)).Id;
            counted = award;
        }
        else
        {
            counted = WriteCounted(record, account, at);
            written = counted.Id;
        }

        if (counted.Points > 0)
        {
            ledger.OpenLot(counted);
        }

        if (record.Points < 0)
        {
            accounts.RekeyOffence(record.Resident, Placeholder(record), counted.Id);
        }

        if (record.Decision.ActId is { } act)
        {
            accounts.RekeyActRecord(record.Resident, act, Placeholder(record).Value, counted.Id.Value);
        }

        credit.OnPosted(counted, at);
        record = record with { Status = RecordStatus.Confirmed, Entry = counted.Id };
        return Step(record, GovernanceStepKind.Confirmed, at, by, reason, written);
    }

    // An award that needed approval only, or a deduction: its entry, written now, as the ledger writes a direct one.
    private JournalEntry WriteCounted(GovernanceRecord record, AccountDoc account, Instant at)
    {
        long applied;
        long uncovered = 0;
        List<LotAllocation>? taken = null;
        var posted = record.Decision;
        if (record.Points > 0)
        {
            applied = record.Points;
            account.Submitted -= record.Points;
            account.Available = checked(account.Available + applied);
            account.LifetimeEarned = checked(account.LifetimeEarned + applied);
        }
        else
        {
            var available = account.Available;
            (applied, uncovered, taken) = ledger.Take(account, record.Resident, -record.Points);
            if (uncovered > 0)
            {
                posted = posted with
                {
                    Applied = applied,
                    Uncovered = uncovered,
                    Steps = [.. posted.Steps, new ExplanationStep(StepKind.BalanceFloor, uncovered, applied, UsedBefore: available)],
                };
            }
        }

        return ledger.Append(account, new JournalEntry
        {
            Id = default,
            Resident = record.Resident,
            Sequence = 0,
            Kind = record.Points < 0 ? EntryKind.Deduction : EntryKind.Award,
            Indicator = record.Indicator,
            Points = applied,
            Uncovered = uncovered,
            Lots = taken,
            CreditDelta = record.CreditDelta,
            OccurredAt = record.OccurredAt,
            RecordedAt = at,
            RecordedBy = record.SubmittedBy,
            Evidence = record.Evidence,
            Decision = posted,
            IdempotencyKey = record.IdempotencyKey,
            PreviousHash = string.Empty,
        }, "award:" + record.IdempotencyKey, "record:" + record.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Rejected or voided: caps, offences, hours and acts given back; a posted award's pending points leave by
    /// a reversal entry; nothing else remains but the record's own steps.</summary>
    private GovernanceRecord Undo(GovernanceRecord record, Instant at, string by, string reason, RecordStatus to, GovernanceStepKind step)
    {
        var catalog = catalogs.FindByHash(record.Decision.CatalogHash)!;
        Hold(record, catalog.FindIndicator(record.Indicator)!, catalog, -1);
        var account = store.Accounts.Require(record.Resident.Value);
        EntryId? written = null;
        if (record.Points > 0 && record.Entry is { } pending)
        {
            account.Pending -= record.Points;
            var reversal = ledger.Append(account, new JournalEntry
            {
                Id = default,
                Resident = record.Resident,
                Sequence = 0,
                Kind = EntryKind.Reversal,
                Indicator = record.Indicator,
                Points = -record.Points,
                Breakdown = new ReversalBreakdown(0, 0, 0, 0, 0),
                OccurredAt = record.OccurredAt,
                RecordedAt = at,
                RecordedBy = by,
                Reason = (to == RecordStatus.Voided ? "公示异议成立, 作废 / voided after objection: " : "驳回 / rejected: ") + reason,
                Reverses = pending,
                IdempotencyKey = "void:" + record.Id.ToString(CultureInfo.InvariantCulture),
                PreviousHash = string.Empty,
            }, "system:void:" + record.Id.ToString(CultureInfo.InvariantCulture), "record:" + record.Id.ToString(CultureInfo.InvariantCulture));
            store.Reversals.Insert(new ReversalDoc { Id = pending.Value, ReversalEntryId = reversal.Id.Value });
            written = reversal.Id;
        }
        else if (record.Points > 0)
        {
            account.Submitted -= record.Points;
            store.Accounts.Update(account);
        }

        record = record with { Status = to, PostingEndsAt = record.PostingEndsAt };
        return Step(record, step, at, by, reason, written);
    }
}

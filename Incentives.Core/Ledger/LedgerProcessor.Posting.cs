using Incentives.Catalog;
using Incentives.Rules;
using Incentives.Storage;
using NodaTime;

namespace Incentives.Ledger;

/// <summary>The three posting commands: award (or deduction), reversal, manual adjustment.</summary>
internal sealed partial class LedgerProcessor
{
    private const long MaxAdjustment = 1_000_000;

    private static readonly PeriodKind[] AllPeriods = [PeriodKind.Day, PeriodKind.Month, PeriodKind.Year, PeriodKind.Lifetime];

    /// <summary>Evaluates a record the way posting would, against the current state (used by preview too).</summary>
    internal static AwardDecision Evaluate(LiteStore store, CatalogHistory catalogs, AwardRequest r, Instant now)
    {
        var fallback = catalogs.Latest?.TimeZone ?? DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var (zone, active) = ResidentContext(store, r.Resident, fallback);
        var occurredAt = r.OccurredAt ?? now;
        var catalog = catalogs.InForce(occurredAt.InZone(zone).Date);
        var record = new BehaviourRecord(r.Resident, r.Indicator, r.Quantity, occurredAt, r.RecordedBy, r.Evidence);
        return Evaluator.Evaluate(record, catalog, zone, active, now, store);
    }

    private CommandResult<JournalEntry> Award(AwardCommand c)
    {
        var r = c.Request;
        var key = "award:" + r.IdempotencyKey;
        var payload = PayloadHash.Of(r);
        if (CheckKey("award:", r.IdempotencyKey, payload) is { } replay)
        {
            return replay;
        }

        if (string.IsNullOrWhiteSpace(r.RecordedBy))
        {
            return CommandResult<JournalEntry>.Refused(new Refusal(RefusalCode.InvalidArgument, "recordedBy", "who records it is required", "须填写记录人"));
        }

        var decision = Evaluate(store, catalogs, r, c.At);
        if (!decision.Accepted)
        {
            return CommandResult<JournalEntry>.Refused(decision.Refusals[0], decision);
        }

        var account = store.Accounts.FindById(r.Resident.Value);
        long applied;
        long uncovered = 0;
        if (decision.Awarded > 0)
        {
            applied = decision.Awarded;
            account.Available = checked(account.Available + applied);
            account.LifetimeEarned = checked(account.LifetimeEarned + applied);
        }
        else
        {
            (applied, uncovered) = Take(account, -decision.Awarded);
        }

        var entry = Append(account, new JournalEntry
        {
            Id = default,
            Resident = r.Resident,
            Sequence = 0,
            Kind = decision.Requested > 0 ? EntryKind.Award : EntryKind.Deduction,
            Indicator = r.Indicator,
            Points = applied,
            Uncovered = uncovered,
            CreditDelta = decision.CreditDelta,
            OccurredAt = r.OccurredAt ?? c.At,
            RecordedAt = c.At,
            RecordedBy = r.RecordedBy,
            Evidence = r.Evidence,
            Decision = decision,
            IdempotencyKey = r.IdempotencyKey,
            PreviousHash = string.Empty,
        }, key, payload);

        MoveLots(entry);
        Count(r.Resident, decision, +1);
        if (decision.Awarded < 0)
        {
            store.AddOffence(entry.Id, r.Resident, r.Indicator, decision.LocalDate);
        }

        _credit.OnPosted(entry, c.At);
        return CommandResult<JournalEntry>.Ok(entry);
    }

    private CommandResult<JournalEntry> Reverse(ReverseCommand c)
    {
        var r = c.Request;
        var key = "reverse:" + r.IdempotencyKey;
        var payload = PayloadHash.Of(r);
        if (CheckKey("reverse:", r.IdempotencyKey, payload) is { } replay)
        {
            return replay;
        }

        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            return CommandResult<JournalEntry>.Refused(new Refusal(RefusalCode.InvalidArgument, "reason", "a reversal needs a reason", "冲正须填写原因"));
        }

        if (store.Entries.FindById(r.Entry.Value) is not { } doc)
        {
            return CommandResult<JournalEntry>.Refused(new Refusal(RefusalCode.UnknownEntry, "entryId", $"no entry {r.Entry}", $"流水 {r.Entry} 不存在"));
        }

        var original = ToEntry(doc);
        if (original.Kind == EntryKind.Reversal)
        {
            return CommandResult<JournalEntry>.Refused(new Refusal(RefusalCode.NotReversible, "entryId", $"entry {r.Entry} is a reversal and cannot be reversed", "冲正流水不可再冲正"));
        }

        if (store.Reversals.FindById(r.Entry.Value) is not null)
        {
            return CommandResult<JournalEntry>.Refused(new Refusal(RefusalCode.AlreadyReversed, "entryId", $"entry {r.Entry} was already reversed", $"流水 {r.Entry} 已冲正"));
        }

        var account = store.Accounts.FindById(original.Resident.Value);
        long applied;
        long uncovered = 0;
        if (original.Points > 0)
        {
            (applied, uncovered) = Take(account, original.Points);
            if (original.Kind is EntryKind.Award or EntryKind.Adjustment)
            {
                account.LifetimeEarned = Math.Max(0, account.LifetimeEarned - original.Points);
            }
        }
        else
        {
            // Give back exactly what was taken, not the uncovered remainder that never left the balance.
            applied = -original.Points;
            account.Available = checked(account.Available + applied);
        }

        var entry = Append(account, new JournalEntry
        {
            Id = default,
            Resident = original.Resident,
            Sequence = 0,
            Kind = EntryKind.Reversal,
            Indicator = original.Indicator,
            Points = applied,
            Uncovered = uncovered,
            CreditDelta = checked(-original.CreditDelta),
            OccurredAt = original.OccurredAt,
            RecordedAt = c.At,
            RecordedBy = r.RecordedBy,
            Reason = r.Reason,
            Reverses = original.Id,
            IdempotencyKey = r.IdempotencyKey,
            PreviousHash = string.Empty,
        }, key, payload);

        MoveLots(entry);
        store.Reversals.Insert(new ReversalDoc { Id = original.Id.Value, ReversalEntryId = entry.Id.Value });
        _credit.OnReversed(original, entry, c.At);
        if (original.Decision is { } decision)
        {
            Count(original.Resident, decision, -1);
            if (decision.Awarded < 0)
            {
                store.RemoveOffence(original.Id);
            }
        }

        return CommandResult<JournalEntry>.Ok(entry);
    }

    private CommandResult<JournalEntry> Adjust(AdjustCommand c)
    {
        var r = c.Request;
        var key = "adjust:" + r.IdempotencyKey;
        var payload = PayloadHash.Of(r);
        if (CheckKey("adjust:", r.IdempotencyKey, payload) is { } replay)
        {
            return replay;
        }

        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            return CommandResult<JournalEntry>.Refused(new Refusal(RefusalCode.InvalidArgument, "reason", "a manual adjustment needs a reason", "一事一议调整须填写原因"));
        }

        if (r.Points == 0 || Math.Abs((decimal)r.Points) > MaxAdjustment)
        {
            return CommandResult<JournalEntry>.Refused(new Refusal(RefusalCode.InvalidArgument, "points",
                $"an adjustment must be non-zero and at most {MaxAdjustment} points either way", $"调整分值须非零且绝对值不超过 {MaxAdjustment}"));
        }

        if (store.Accounts.FindById(r.Resident.Value) is not { } account)
        {
            return CommandResult<JournalEntry>.Refused(UnknownResident(r.Resident));
        }

        long applied;
        long uncovered = 0;
        if (r.Points > 0)
        {
            applied = r.Points;
            account.Available = checked(account.Available + applied);
            account.LifetimeEarned = checked(account.LifetimeEarned + applied);
        }
        else
        {
            (applied, uncovered) = Take(account, checked(-r.Points));
        }

        var entry = Append(account, new JournalEntry
        {
            Id = default,
            Resident = r.Resident,
            Sequence = 0,
            Kind = EntryKind.Adjustment,
            Points = applied,
            Uncovered = uncovered,
            OccurredAt = c.At,
            RecordedAt = c.At,
            RecordedBy = r.RecordedBy,
            Reason = r.Reason,
            IdempotencyKey = r.IdempotencyKey,
            PreviousHash = string.Empty,
        }, key, payload);
        MoveLots(entry);
        return CommandResult<JournalEntry>.Ok(entry);
    }

    // Cap counters hold what the rules awarded in each period, per indicator and (for positive points) in total.
    private void Count(ResidentId resident, AwardDecision decision, int sign)
    {
        var amount = checked(sign * decision.Awarded);
        foreach (var kind in AllPeriods)
        {
            store.AddToCounter(resident, decision.Indicator.Value, PeriodKey.Of(kind, decision.LocalDate), amount);
        }

        if (decision.Awarded > 0)
        {
            store.AddToCounter(resident, Evaluator.GlobalScope, PeriodKey.Of(PeriodKind.Month, decision.LocalDate), amount);
            store.AddToCounter(resident, Evaluator.GlobalScope, PeriodKey.Of(PeriodKind.Year, decision.LocalDate), amount);
        }
    }
}

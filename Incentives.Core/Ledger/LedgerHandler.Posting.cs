using Incentives.Catalog;
using Incentives.Rules;
using Incentives.Storage;
using NodaTime;

namespace Incentives.Ledger;

/// <summary>The three posting commands: award (or deduction), reversal, manual adjustment.</summary>
internal sealed partial class LedgerHandler
{
    private const long MaxAdjustment = 1_000_000;

    private static readonly PeriodKind[] AllPeriods = [PeriodKind.Day, PeriodKind.Month, PeriodKind.Year, PeriodKind.Lifetime];

    /// <summary>Evaluates a record the way posting would, against the current state (used by preview too).</summary>
    internal static AwardDecision Evaluate(ILedgerStore store, AccountState state, CatalogHistory catalogs, AwardRequest r, Instant now)
    {
        var fallback = catalogs.Latest?.TimeZone ?? DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var (zone, active, birthYear) = ResidentContext(store, r.Resident, fallback);
        var occurredAt = r.OccurredAt ?? now;
        var catalog = catalogs.InForce(occurredAt.InZone(zone).Date);
        var record = new BehaviourRecord(r.Resident, r.Indicator, r.Quantity, occurredAt, r.RecordedBy, r.Evidence, r.ActId);
        return Evaluator.Evaluate(record, catalog, zone, active, now, state, birthYear);
    }

    public CommandResult<JournalEntry> Award(AwardCommand c)
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

        var decision = Evaluate(store, accounts, catalogs, r, c.At);
        if (!decision.Accepted)
        {
            return CommandResult<JournalEntry>.Refused(decision.Refusals[0], decision);
        }

        var catalog = catalogs.FindByHash(decision.CatalogHash)!;
        var indicator = catalog.FindIndicator(r.Indicator)!;
        var account = store.Accounts.Require(r.Resident.Value);
        long applied;
        long uncovered = 0;
        List<LotAllocation>? taken = null;
        var posted = decision;
        if (decision.Awarded >= 0)
        {
            applied = decision.Awarded;
            account.Available = checked(account.Available + applied);
            account.LifetimeEarned = checked(account.LifetimeEarned + applied);
        }
        else
        {
            var available = account.Available;
            (applied, uncovered, taken) = Take(account, r.Resident, -decision.Awarded);
            if (uncovered > 0)
            {
                // The decision says what the rules ask; the posting says what was done, as its own step.
                posted = decision with
                {
                    Applied = applied,
                    Uncovered = uncovered,
                    Steps = [.. decision.Steps, new ExplanationStep(StepKind.BalanceFloor, uncovered, applied, UsedBefore: available)],
                };
            }
        }

        var entry = Append(account, new JournalEntry
        {
            Id = default,
            Resident = r.Resident,
            Sequence = 0,
            Kind = indicator.IsDeduction ? EntryKind.Deduction : EntryKind.Award,
            Indicator = r.Indicator,
            Points = applied,
            Uncovered = uncovered,
            Lots = taken,
            CreditDelta = decision.CreditDelta,
            OccurredAt = r.OccurredAt ?? c.At,
            RecordedAt = c.At,
            RecordedBy = r.RecordedBy,
            Evidence = r.Evidence,
            Decision = posted,
            IdempotencyKey = r.IdempotencyKey,
            PreviousHash = string.Empty,
        }, key, payload);

        if (applied > 0)
        {
            OpenLot(entry);
        }

        Count(r.Resident, decision, +1);
        if (decision.Awarded < 0 || decision.IsWarning)
        {
            accounts.AddOffence(r.Resident, entry.Id, r.Indicator, decision.LocalDate, indicator.RepeatWindow(catalog.CreditValidity), decision.IsWarning);
        }

        if (indicator.CountsServiceHours)
        {
            accounts.AddServiceHours(r.Resident, decision.LocalDate, decision.Quantity);
        }

        if (r.ActId is { } act)
        {
            accounts.AddActRecord(r.Resident, act, new ActRecordDoc { Entry = entry.Id.Value, Indicator = r.Indicator.Value, Paid = decision.Awarded, PaidCredit = decision.CreditDelta });
        }

        _credit.OnPosted(entry, c.At);
        return CommandResult<JournalEntry>.Ok(entry);
    }

    /// <param name="c">The command.</param>
    /// <param name="decidingAppeal">True when an appeal decision voids the entry: its open appeal does not stop it.</param>
    public CommandResult<JournalEntry> Reverse(ReverseCommand c, bool decidingAppeal = false)
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

        var original = LedgerMapping.ToEntry(doc);
        if (WhyNotReversible(original, decidingAppeal) is { } refusal)
        {
            return CommandResult<JournalEntry>.Refused(refusal);
        }

        var account = store.Accounts.Require(original.Resident.Value);
        long applied;
        long uncovered = 0;
        List<LotAllocation>? taken = null;
        ReversalBreakdown breakdown;
        long expired = 0, orphaned = 0;
        Instant? orphanExpiry = null;
        if (original.Points > 0)
        {
            // Its own lot first, so the reversed points never outlive it; what the lot no longer has (redeemed, deducted)
            // from the other lots; what expired from it is already gone and is not taken twice.
            var lot = _lots.Find(original.Id);
            var own = lot is null ? 0 : _lots.TakeFrom(lot, original.Points);
            var alreadyExpired = lot?.ExpiredPoints ?? 0;
            account.Available -= own;
            var rest = original.Points - own - alreadyExpired;
            long others;
            (others, uncovered, taken) = Take(account, original.Resident, rest);
            applied = checked(-own + others);
            breakdown = new ReversalBreakdown(own, -others, uncovered, alreadyExpired, 0);
            if (original.Kind is EntryKind.Award or EntryKind.Adjustment)
            {
                account.LifetimeEarned = Math.Max(0, account.LifetimeEarned - original.Points);
            }
        }
        else
        {
            // Give back exactly what was taken, to the lots it was taken from; not the uncovered remainder that never
            // left the balance.
            applied = -original.Points;
            (expired, orphaned, orphanExpiry) = original.Lots is { } lots ? _lots.Restore(lots) : (0, 0, null);
            account.Available = checked(account.Available + applied - expired);
            breakdown = new ReversalBreakdown(0, 0, 0, 0, expired);
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
            Lots = taken is { Count: > 0 } ? taken : null,
            Breakdown = breakdown,
            CreditDelta = checked(-original.CreditDelta),
            OccurredAt = original.OccurredAt,
            RecordedAt = c.At,
            RecordedBy = r.RecordedBy,
            Reason = r.Reason,
            Reverses = original.Id,
            IdempotencyKey = r.IdempotencyKey,
            PreviousHash = string.Empty,
        }, key, payload);

        if (original.Points < 0 && original.Lots is null && applied > 0)
        {
            // A deduction from before lots were recorded on entries: its points come back as a lot of their own.
            OpenLot(entry);
        }
        else if (orphaned > 0)
        {
            // Points taken from a lot whose own entry was reversed since: they come back in a lot of this reversal,
            // expiring no later than the lot they were taken from.
            _lots.Credit(entry.Id, original.Resident, orphaned, orphanExpiry);
        }

        if (breakdown.ReturnedExpired > 0)
        {
            SystemEntry(account, original.Resident, EntryKind.Expiry, -breakdown.ReturnedExpired, c.At, SystemActor,
                $"冲正 {entry.Id} 退回的积分落入已过期批次, 随即过期 / points of reversal {entry.Id} returned to expired lots", "expire-returned:" + entry.Id);
        }

        store.Reversals.Insert(new ReversalDoc { Id = original.Id.Value, ReversalEntryId = entry.Id.Value });
        _credit.OnReversed(original, entry, c.At);
        if (original.Decision is { } decision)
        {
            Count(original.Resident, decision, -1);
            if (decision.Awarded < 0 || decision.IsWarning)
            {
                accounts.RemoveOffence(original.Resident, original.Id);
            }

            if (catalogs.FindByHash(decision.CatalogHash)?.FindIndicator(decision.Indicator) is { CountsServiceHours: true } && original.Kind == EntryKind.Award)
            {
                accounts.AddServiceHours(original.Resident, decision.LocalDate, -decision.Quantity);
            }

            if (decision.ActId is { } act)
            {
                accounts.RemoveActRecord(original.Resident, act, original.Id.Value);
            }
        }

        return CommandResult<JournalEntry>.Ok(entry);
    }

    /// <summary>Why an entry cannot be reversed now, or null. Redemptions and expiries are the mall's and the clock's:
    /// a redemption is undone by cancelling before pickup (goods brought back later are credited by an adjustment).</summary>
    private Refusal? WhyNotReversible(JournalEntry original, bool decidingAppeal)
    {
        var id = original.Id;
        switch (original.Kind)
        {
            case EntryKind.Confirmation or EntryKind.AppealDecision:
                return new Refusal(RefusalCode.NotReversible, "entryId", $"entry {id} records a decision; reverse the entry it concerns ({original.Regarding}) instead",
                    $"流水 {id} 为确认或复核决定, 请冲正其所涉流水 {original.Regarding}")
                {
                    Entries = original.Regarding is { } regarding ? [regarding.Value] : null,
                };
            case EntryKind.Reversal:
                return new Refusal(RefusalCode.NotReversible, "entryId", $"entry {id} is a reversal and cannot be reversed", "冲正流水不可再冲正");
            case EntryKind.Redemption:
                var reservation = store.ReservationsOf(original.Resident.Value).Select(Mall.MallMapping.ToReservation).FirstOrDefault(x => x.Redemption == id);
                return new Refusal(RefusalCode.NotReversible, "entryId",
                    $"entry {id} is the redemption of reservation {reservation?.PickupCode}: goods handed over are not reversed here; cancel a reservation before pickup, return a loan at the counter, or credit goods brought back with a manual adjustment",
                    $"流水 {id} 是预约 {reservation?.PickupCode} 的兑换: 已交付的兑换不可冲正; 取货前请取消预约, 借用物品请办理归还, 退回的商品请以一事一议调整返还积分")
                {
                    PickupCodes = reservation is null ? null : [reservation.PickupCode],
                };
            case EntryKind.Expiry:
                return new Refusal(RefusalCode.NotReversible, "entryId", $"entry {id} is an expiry and cannot be reversed; points expired in error are credited with a manual adjustment",
                    $"流水 {id} 为积分过期, 不可冲正; 误过期的积分请以一事一议调整返还");
            default:
                break;
        }

        if (store.Reversals.FindById(id.Value) is not null)
        {
            return new Refusal(RefusalCode.AlreadyReversed, "entryId", $"entry {id} was already reversed", $"流水 {id} 已冲正");
        }

        if (store.RecordOfEntry(id.Value) is { } record && record.Status != (int)Governance.RecordStatus.Confirmed)
        {
            return new Refusal(RefusalCode.InvalidState, "entryId", $"entry {id} is still posted in public (record {record.Id}): object to it, and a manager voids it",
                $"流水 {id} 仍在公示中 (记录 {record.Id}): 请提出异议, 由负责人作废");
        }

        if (!decidingAppeal && store.AppealsOfTarget("entry:" + id).Any(a => a.Status is (int)Governance.AppealStatus.Open or (int)Governance.AppealStatus.Reduced))
        {
            return new Refusal(RefusalCode.InvalidState, "entryId", $"entry {id} is under appeal or was reduced on appeal: the appeal decides it",
                $"流水 {id} 正在复核或已复核减轻, 以复核决定为准");
        }

        if (original.Decision?.ActId is { } act)
        {
            var records = accounts.ActRecords(original.Resident, act);
            var later = records.SkipWhile(x => x.Entry != id.Value).Skip(1).Select(x => x.Entry).ToList();
            if (later.Count > 0)
            {
                return new Refusal(RefusalCode.LaterRecordsOfAct, "entryId",
                    $"later records of act '{act}' stand on this one: reverse entries {string.Join(", ", later)} first, newest first",
                    $"同一行为 '{act}' 另有后记录 {string.Join(", ", later)}, 请先从最新一条起依次冲正")
                {
                    Entries = later,
                };
            }
        }

        if (original.Points > 0 && _lots.Find(id) is { Held: > 0 } lot)
        {
            var codes = store.ReservationsOf(original.Resident.Value).Select(Mall.MallMapping.ToReservation)
                .Where(x => x.Status == Mall.ReservationStatus.Open && x.Lots.Any(a => a.Lot == lot.Id)).Select(x => x.PickupCode).ToList();
            return new Refusal(RefusalCode.PointsHeld, "entryId",
                $"{lot.Held} points of entry {id} are held by reservation(s) {string.Join(", ", codes)}: cancel them first, then reverse",
                $"流水 {id} 的 {lot.Held} 分已被预约 {string.Join(", ", codes)} 占用: 请先取消预约再冲正")
            {
                PickupCodes = codes,
            };
        }

        return null;
    }

    public CommandResult<JournalEntry> Adjust(AdjustCommand c)
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
            return CommandResult<JournalEntry>.Refused(LedgerMapping.UnknownResident(r.Resident));
        }

        long applied;
        long uncovered = 0;
        List<LotAllocation>? taken = null;
        if (r.Points > 0)
        {
            applied = r.Points;
            account.Available = checked(account.Available + applied);
            account.LifetimeEarned = checked(account.LifetimeEarned + applied);
        }
        else
        {
            (applied, uncovered, taken) = Take(account, r.Resident, checked(-r.Points));
        }

        var entry = Append(account, new JournalEntry
        {
            Id = default,
            Resident = r.Resident,
            Sequence = 0,
            Kind = EntryKind.Adjustment,
            Points = applied,
            Uncovered = uncovered,
            Lots = taken,
            OccurredAt = c.At,
            RecordedAt = c.At,
            RecordedBy = r.RecordedBy,
            Reason = r.Reason,
            IdempotencyKey = r.IdempotencyKey,
            PreviousHash = string.Empty,
        }, key, payload);
        if (applied > 0)
        {
            OpenLot(entry);
        }

        return CommandResult<JournalEntry>.Ok(entry);
    }

    // Cap counters hold what the rules awarded in each period, per indicator and (for positive points) in total.
    internal void Count(ResidentId resident, AwardDecision decision, int sign)
    {
        var amount = checked(sign * decision.Awarded);
        foreach (var kind in AllPeriods)
        {
            accounts.AddToCounter(resident, decision.Indicator.Value, PeriodKey.Of(kind, decision.LocalDate), amount);
        }

        if (decision.Awarded > 0)
        {
            accounts.AddToCounter(resident, Evaluator.GlobalScope, PeriodKey.Of(PeriodKind.Month, decision.LocalDate), amount);
            accounts.AddToCounter(resident, Evaluator.GlobalScope, PeriodKey.Of(PeriodKind.Year, decision.LocalDate), amount);
        }
    }
}

using System.Globalization;
using System.Text.Json;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Storage;
using Incentives.Utility;
using NodaTime;

namespace Incentives.Governance;

/// <summary>Appeals (复核): against a deduction or a credit record, within the catalog's appeal period after it was
/// confirmed; the contested credit record stops counting until a manager decides.</summary>
internal sealed partial class GovernanceHandler
{
    private const string AppealSequence = "appealId";

    public CommandResult<Appeal> AppealRecord(AppealCommand c)
    {
        var r = c.Request;
        var payload = PayloadHash.Sha256(string.Join('\u001f', "appeal", r.Resident.Value, r.Entry?.ToString(CultureInfo.InvariantCulture), r.CreditRecord?.ToString(CultureInfo.InvariantCulture), r.Reason, r.By));
        if (Idempotency.Check(store, "appeal:", r.IdempotencyKey, payload, id => FindAppeal(id)!) is { } replay)
        {
            return replay;
        }

        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Length > 500)
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidArgument, "reason", "an appeal needs a reason of 1–500 characters", "复核申请须填写 1–500 字的理由"));
        }

        if (string.IsNullOrWhiteSpace(r.By))
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidArgument, "by", "who appeals is required", "须填写申请人"));
        }

        if ((r.Entry is null) == (r.CreditRecord is null))
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidArgument, "entryId", "name either the deduction entry or the credit record appealed", "须指明申请复核的扣分流水或信用记录 (二选一)"));
        }

        JournalEntry? entry = null;
        CreditRecord? contested;
        Instant confirmedAt;
        if (r.Entry is { } entryId)
        {
            if (store.Entries.FindById(entryId) is not { } doc || doc.Resident != r.Resident.Value)
            {
                return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.UnknownEntry, "entryId", $"resident {r.Resident} has no entry {entryId}", $"该居民无流水 {entryId}"));
            }

            entry = LedgerMapping.ToEntry(doc);
            if (entry.Kind != EntryKind.Deduction)
            {
                return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidState, "entryId", $"entry {entryId} is not a deduction; only deductions and credit records are appealed", $"流水 {entryId} 不是扣分, 只有扣分和信用记录可申请复核"));
            }

            if (entry.Points == 0 && entry.Decision?.IsWarning == true)
            {
                return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidState, "entryId", $"entry {entryId} is a warning: it deducts nothing and has no credit effect",
                    $"流水 {entryId} 为警告, 不扣分也不影响信用, 无需复核"));
            }

            if (store.Reversals.FindById(entryId) is not null)
            {
                return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.AlreadyReversed, "entryId", $"entry {entryId} was already reversed", $"流水 {entryId} 已冲正"));
            }

            contested = store.CreditRecordOfEntry(entryId) is { } cr ? credit.FindRecord(cr.Id) : null;
            confirmedAt = entry.RecordedAt;
        }
        else
        {
            contested = credit.FindRecord(r.CreditRecord!.Value);
            if (contested is null || contested.Resident != r.Resident || contested.Kind is not (CreditRecordKind.Manual or CreditRecordKind.Indicator) || contested.Delta >= 0)
            {
                return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.UnknownEntry, "creditRecordId",
                    $"resident {r.Resident} has no negative credit record {r.CreditRecord}", $"该居民无扣减信用记录 {r.CreditRecord}"));
            }

            if (contested.Entry is { } behind)
            {
                return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidArgument, "creditRecordId",
                    $"credit record {contested.Id} belongs to deduction entry {behind}: appeal the entry", $"信用记录 {contested.Id} 属于扣分流水 {behind}, 请对该流水申请复核")
                {
                    Entries = [behind.Value],
                });
            }

            confirmedAt = contested.RecordedAt;
        }

        var target = entry is not null ? "entry:" + entry.Id : "credit:" + contested!.Id.ToString(CultureInfo.InvariantCulture);
        if (store.AppealsOfTarget(target).Count > 0)
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidState, r.Entry is null ? "creditRecordId" : "entryId",
                "this record was already appealed; a record is reviewed once", "该记录已申请过复核, 每条记录只复核一次"));
        }

        var loop = catalogs.Latest!.Loop;
        var zone = ZoneOf(r.Resident);
        var closes = confirmedAt.InZone(zone).LocalDateTime.PlusDays(loop.AppealDays).InZoneLeniently(zone).ToInstant();
        if (c.At >= closes)
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.AppealPeriodOver, r.Entry is null ? "creditRecordId" : "entryId",
                $"appeals are accepted within {loop.AppealDays} days of confirmation; this period ended {Local(closes, zone)}",
                $"须在确认后 {loop.AppealDays} 日内申请复核, 本条已于 {Local(closes, zone)} 截止"));
        }

        if (contested is not null)
        {
            Suspend(contested, c.At, Instant.MaxValue, r.By, r.Reason, c.At);
        }

        var appeal = new Appeal
        {
            Id = store.Next(AppealSequence),
            Resident = r.Resident,
            Entry = entry?.Id,
            CreditRecord = contested?.Id,
            By = r.By,
            At = c.At,
            Reason = r.Reason,
            DueAt = c.At.InZone(zone).LocalDateTime.PlusDays(loop.AppealDecisionDays).InZoneLeniently(zone).ToInstant(),
            Status = AppealStatus.Open,
        };
        store.Appeals.Insert(new AppealDoc
        {
            Id = appeal.Id,
            Resident = r.Resident.Value,
            Community = store.Residents.Require(r.Resident.Value).Community,
            Target = target,
            Status = (int)appeal.Status,
            Json = JsonSerializer.Serialize(appeal, JsonSetup.Options),
        });
        Idempotency.Remember(store, "appeal:" + r.IdempotencyKey, payload, appeal.Id);
        return CommandResult<Appeal>.Ok(appeal);
    }

    public CommandResult<Appeal> DecideAppeal(DecideAppealCommand c)
    {
        var r = c.Request;
        var payload = PayloadHash.Sha256(string.Join('\u001f', "appealDecision", r.Appeal.ToString(CultureInfo.InvariantCulture), r.Outcome.ToString(), r.ReducedTo?.ToString(CultureInfo.InvariantCulture), r.Reason, r.By));
        if (Idempotency.Check(store, "appealDecision:", r.IdempotencyKey, payload, id => FindAppeal(id)!) is { } replay)
        {
            return replay;
        }

        if (store.Appeals.FindById(r.Appeal) is not { } doc)
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.NotFound, "appealId", $"no appeal {r.Appeal}", $"复核申请 {r.Appeal} 不存在"));
        }

        var appeal = ToAppeal(doc);
        if (appeal.Status != AppealStatus.Open)
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidState, "appealId", $"appeal {appeal.Id} was already decided ({appeal.Status.ToString().ToLowerInvariant()})", $"复核申请 {appeal.Id} 已有决定"));
        }

        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Length > 500)
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidArgument, "reason", "a decision needs a reason of 1–500 characters", "复核决定须填写 1–500 字的理由"));
        }

        if (string.IsNullOrWhiteSpace(r.By))
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidArgument, "by", "who decides is required", "须填写决定人"));
        }

        var entry = appeal.Entry is { } id ? LedgerMapping.ToEntry(store.Entries.Require(id.Value)) : null;
        var contested = appeal.CreditRecord is { } cid ? credit.FindRecord(cid) : null;
        var size = entry is not null ? Math.Abs(entry.Decision?.Awarded ?? entry.Points) : Math.Abs((long)contested!.Delta);
        if (r.Outcome == AppealStatus.Open || (r.Outcome == AppealStatus.Reduced && (r.ReducedTo is not { } to || to < 1 || to >= size)))
        {
            return CommandResult<Appeal>.Refused(new Refusal(RefusalCode.InvalidArgument, r.Outcome == AppealStatus.Open ? "outcome" : "reducedTo",
                r.Outcome == AppealStatus.Open ? "the outcome is upheld, reduced or voided" : $"a reduction names the new size, 1–{size - 1} (now {size})",
                r.Outcome == AppealStatus.Open ? "复核结果须为维持、减轻或撤销" : $"减轻须给出新的分值, 1–{size - 1} (原为 {size})"));
        }

        EntryId? written = null;
        switch (r.Outcome)
        {
            case AppealStatus.Upheld:
                if (contested is not null)
                {
                    Suspend(contested, appeal.At, c.At, r.By, r.Reason, c.At);
                }

                if (entry is not null)
                {
                    written = DecisionEntry(entry, 0, null, c.At, r.By, $"复核维持 / upheld on appeal: {r.Reason}", appeal.Id);
                }

                break;
            case AppealStatus.Reduced:
                var newSize = r.ReducedTo!.Value;
                if (contested is not null)
                {
                    Suspend(contested, appeal.At, c.At, r.By, r.Reason, c.At);
                    var delta = entry is null ? -(int)newSize : (int)(contested.Delta * newSize / size);
                    credit.Add(contested with
                    {
                        Kind = CreditRecordKind.Repair,
                        Target = contested.Id,
                        Delta = delta,
                        Reason = "复核减轻 / reduced on appeal: " + r.Reason,
                        RecordedBy = r.By,
                        RecordedAt = c.At,
                        Entry = null,
                    }, c.At);
                }

                if (entry is not null)
                {
                    written = Refund(entry, newSize, c.At, r.By, r.Reason, appeal.Id);
                }

                break;
            default:
                if (entry is not null)
                {
                    var reversed = ledger.Reverse(new ReverseCommand(c.At, new ReversalRequest(entry.Id, "复核撤销 / voided on appeal: " + r.Reason, r.By, "appeal:" + appeal.Id.ToString(CultureInfo.InvariantCulture))), decidingAppeal: true);
                    if (reversed.Value is not { } reversal)
                    {
                        return CommandResult<Appeal>.Refused(reversed.Refusal!);
                    }

                    written = reversal.Id;
                }
                else
                {
                    credit.Add(contested! with
                    {
                        Kind = CreditRecordKind.Reversal,
                        Target = contested.Id,
                        Delta = 0,
                        Reason = "复核撤销 / voided on appeal: " + r.Reason,
                        RecordedBy = r.By,
                        RecordedAt = c.At,
                        ValidFrom = c.At,
                        ValidTo = c.At,
                    }, c.At);
                }

                break;
        }

        appeal = appeal with
        {
            Status = r.Outcome,
            DecidedBy = r.By,
            DecidedAt = c.At,
            DecisionReason = r.Reason,
            ReducedTo = r.Outcome == AppealStatus.Reduced ? r.ReducedTo : null,
            DecisionEntry = written,
        };
        doc.Status = (int)appeal.Status;
        doc.Json = JsonSerializer.Serialize(appeal, JsonSetup.Options);
        store.Appeals.Update(doc);
        Idempotency.Remember(store, "appealDecision:" + r.IdempotencyKey, payload, appeal.Id);
        return CommandResult<Appeal>.Ok(appeal);
    }

    // A reduced deduction gives back what it took beyond its new size, to the lots it was taken from (as a reversal
    // would, for that part only).
    private EntryId Refund(JournalEntry entry, long newSize, Instant at, string by, string reason, long appealId)
    {
        var taken = -entry.Points;
        var refund = Math.Max(0, taken - newSize);
        var account = store.Accounts.Require(entry.Resident.Value);
        var part = new List<LotAllocation>();
        var left = refund;
        foreach (var a in entry.Lots ?? [])
        {
            if (left == 0)
            {
                break;
            }

            var amount = Math.Min(left, a.Amount);
            part.Add(a with { Amount = amount });
            left -= amount;
        }

        var (expired, orphaned, orphanExpiry) = lots.Restore(part);
        var restored = refund - left;
        account.Available = checked(account.Available + restored - expired);
        var id = DecisionEntry(entry, restored, part.Count > 0 ? part : null, at, by, $"复核减轻为 {newSize} 分, 退还 {restored} 分 / reduced on appeal to {newSize}, {restored} returned: {reason}", appealId, account);
        if (left > 0)
        {
            // Points taken before lots were recorded on entries come back in a lot of their own.
            lots.Credit(id, entry.Resident, left, null);
            account.Available = checked(account.Available + left);
            store.Accounts.Update(account);
        }

        if (orphaned > 0)
        {
            lots.Credit(id, entry.Resident, orphaned, orphanExpiry);
        }

        if (expired > 0)
        {
            ledger.SystemEntry(account, entry.Resident, EntryKind.Expiry, -expired, at, LedgerHandler.SystemActor,
                $"复核决定 {id} 退回的积分落入已过期批次, 随即过期 / points of appeal decision {id} returned to expired lots", "expire-returned:" + id);
        }

        return id;
    }

    private EntryId DecisionEntry(JournalEntry original, long points, List<LotAllocation>? restored, Instant at, string by, string reason, long appealId, AccountDoc? account = null)
    {
        account ??= store.Accounts.Require(original.Resident.Value);
        var key = "appeal:" + appealId.ToString(CultureInfo.InvariantCulture);
        return ledger.Append(account, new JournalEntry
        {
            Id = default,
            Resident = original.Resident,
            Sequence = 0,
            Kind = EntryKind.AppealDecision,
            Indicator = original.Indicator,
            Points = points,
            Lots = restored,
            OccurredAt = original.OccurredAt,
            RecordedAt = at,
            RecordedBy = by,
            Reason = reason,
            Regarding = original.Id,
            IdempotencyKey = key,
            PreviousHash = string.Empty,
        }, "system:" + key, key).Id;
    }

    // The latest suspension of a record decides (LedgerCalculator): from the appeal until the decision.
    private void Suspend(CreditRecord contested, Instant from, Instant to, string by, string reason, Instant at) =>
        credit.Add(new CreditRecord
        {
            Id = 0,
            Resident = contested.Resident,
            Kind = CreditRecordKind.Suspension,
            Target = contested.Id,
            Reason = reason,
            RecordedBy = by,
            RecordedAt = at,
            ValidFrom = from,
            ValidTo = to,
        }, at);

    internal Appeal? FindAppeal(long id) => store.Appeals.FindById(id) is { } doc ? ToAppeal(doc) : null;

    internal static Appeal ToAppeal(AppealDoc doc) => JsonSerializer.Deserialize<Appeal>(doc.Json, JsonSetup.Options)!;
}

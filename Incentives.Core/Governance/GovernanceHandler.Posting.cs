using System.Globalization;
using Incentives.Ledger;
using Incentives.Rules;
using NodaTime;

namespace Incentives.Governance;

/// <summary>The public posting (公示): objections, a manager's decision on them, and confirmation when a posting ends.</summary>
internal sealed partial class GovernanceHandler
{
    public CommandResult<GovernanceRecord> Object(ObjectCommand c)
    {
        var r = c.Request;
        var payload = PayloadHash.Sha256(string.Join('\u001f', "object", r.Record.ToString(CultureInfo.InvariantCulture), r.By, r.Reason));
        if (Idempotency.Check(store, "object:", r.IdempotencyKey, payload, (long id) => Load(id)) is { } replay)
        {
            return replay;
        }

        if (Find(r.Record) is not { } record)
        {
            return CommandResult<GovernanceRecord>.Refused(Unknown(r.Record));
        }

        // Objections are heard until the posting's end instant, even if the due-work job has not run yet.
        if (record.Status is not (RecordStatus.Pending or RecordStatus.Objected) || (record.Status == RecordStatus.Pending && c.At >= record.PostingEndsAt))
        {
            return CommandResult<GovernanceRecord>.Refused(WrongState(record, "提出异议 (公示期内方可)", "objected to (only during its posting)", RecordStatus.Pending));
        }

        if (string.IsNullOrWhiteSpace(r.By))
        {
            return CommandResult<GovernanceRecord>.Refused(new Refusal(RefusalCode.InvalidArgument, "by", "who objects is required", "须填写异议人"));
        }

        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Length > 500)
        {
            return CommandResult<GovernanceRecord>.Refused(new Refusal(RefusalCode.InvalidArgument, "reason", "an objection needs a reason of 1–500 characters", "异议须填写 1–500 字的理由"));
        }

        record = Step(record with { Status = RecordStatus.Objected }, GovernanceStepKind.Objected, c.At, r.By, r.Reason, null);
        Save(record);
        Idempotency.Remember(store, "object:" + r.IdempotencyKey, payload, record.Id);
        return CommandResult<GovernanceRecord>.Ok(record);
    }

    public CommandResult<GovernanceRecord> DecideObjection(DecideObjectionCommand c)
    {
        var r = c.Request;
        var payload = PayloadHash.Sha256(string.Join('\u001f', "decide", r.Record.ToString(CultureInfo.InvariantCulture), r.Confirm ? "confirm" : "void", r.By, r.Reason));
        if (Idempotency.Check(store, "decide:", r.IdempotencyKey, payload, (long id) => Load(id)) is { } replay)
        {
            return replay;
        }

        if (Find(r.Record) is not { } record)
        {
            return CommandResult<GovernanceRecord>.Refused(Unknown(r.Record));
        }

        if (record.Status != RecordStatus.Objected)
        {
            return CommandResult<GovernanceRecord>.Refused(WrongState(record, "作异议决定", "decided", RecordStatus.Objected));
        }

        if (string.IsNullOrWhiteSpace(r.By))
        {
            return CommandResult<GovernanceRecord>.Refused(new Refusal(RefusalCode.InvalidArgument, "by", "who decides is required", "须填写决定人"));
        }

        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Length > 500)
        {
            return CommandResult<GovernanceRecord>.Refused(new Refusal(RefusalCode.InvalidArgument, "reason", "a decision needs a reason of 1–500 characters", "决定须填写 1–500 字的理由"));
        }

        record = r.Confirm
            ? Confirm(record, c.At, r.By, r.Reason)
            : Undo(record, c.At, r.By, r.Reason, RecordStatus.Voided, GovernanceStepKind.Voided);
        Save(record);
        Idempotency.Remember(store, "decide:" + r.IdempotencyKey, payload, record.Id);
        return CommandResult<GovernanceRecord>.Ok(record);
    }

    /// <summary>Due work: every unobjected posting whose end instant has come is confirmed, once (its due field is
    /// cleared by the confirmation, so running again finds nothing).</summary>
    public int ConfirmDue(Instant now)
    {
        var due = store.PostingsDue(now.ToUnixTimeTicks());
        foreach (var doc in due)
        {
            var record = ToRecord(doc);
            // At the posting's end instant, not when the job happened to run: the entry says when it became final.
            Save(Confirm(record, record.PostingEndsAt!.Value, LedgerHandler.SystemActor, null));
        }

        return due.Count;
    }
}

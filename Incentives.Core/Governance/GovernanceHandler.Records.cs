using System.Globalization;
using System.Text;
using System.Text.Json;
using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Storage;
using Incentives.Utility;
using NodaTime;

namespace Incentives.Governance;

/// <summary>What the loop's commands share: holding and giving back a record's evaluation state, the staff budget,
/// the record's hash-chained steps and its stored form, and the refusals they all give.</summary>
internal sealed partial class GovernanceHandler
{
    // Counters, offences, service hours and acts, as posting would count them (sign +1), or given back (−1). Until the
    // record has an entry, its offence and act records carry the placeholder −id.
    private void Hold(GovernanceRecord record, Indicator indicator, CatalogSnapshot catalog, int sign)
    {
        var d = record.Decision;
        ledger.Count(record.Resident, d, sign);
        var key = record.Entry is { } e && record.Status == RecordStatus.Confirmed ? e : Placeholder(record);
        if (record.Points < 0)
        {
            if (sign > 0)
            {
                accounts.AddOffence(record.Resident, key, record.Indicator, d.LocalDate, indicator.RepeatWindow(catalog.CreditValidity));
            }
            else
            {
                accounts.RemoveOffence(record.Resident, key);
            }
        }

        if (indicator.CountsServiceHours)
        {
            accounts.AddServiceHours(record.Resident, d.LocalDate, sign * d.Quantity);
        }

        if (d.ActId is { } act)
        {
            if (sign > 0)
            {
                accounts.AddActRecord(record.Resident, act, new ActRecordDoc { Entry = key.Value, Indicator = record.Indicator.Value, Paid = d.Awarded, PaidCredit = d.CreditDelta });
            }
            else
            {
                accounts.RemoveActRecord(record.Resident, act, key.Value);
            }
        }
    }

    private static EntryId Placeholder(GovernanceRecord record) => new(-record.Id);

    private Refusal? BudgetRefusal(GovernancePolicy loop, string by, long points, LocalDate day)
    {
        if (loop.StaffDailyBudget is not { } budget || points <= 0)
        {
            return null;
        }

        var used = store.Budgets.FindById(BudgetKey(by, day))?.Points ?? 0;
        var left = Math.Max(0, budget - used);
        return points <= left ? null : new Refusal(RefusalCode.BudgetExceeded, "quantity",
            $"{by} may issue {budget} points a day and has {left} left today; this record awards {points}",
            $"{by} 每日可发放 {budget} 分, 今日剩余 {left} 分, 本条记录 {points} 分")
        {
            Left = left,
        };
    }

    private void Spend(GovernancePolicy loop, string by, long points, LocalDate day)
    {
        if (loop.StaffDailyBudget is null || points <= 0)
        {
            return;
        }

        var key = BudgetKey(by, day);
        if (store.Budgets.FindById(key) is { } doc)
        {
            doc.Points = checked(doc.Points + points);
            store.Budgets.Update(doc);
        }
        else
        {
            store.Budgets.Insert(new BudgetDoc { Id = key, Points = points });
        }
    }

    private static string BudgetKey(string by, LocalDate day) => by + "|" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal GovernanceRecord? Find(long id) => store.Records.FindById(id) is { } doc ? ToRecord(doc) : null;

    private GovernanceRecord Load(long id) => Find(id) ?? throw new InvalidOperationException($"governance record {id} is remembered but missing");

    private GovernanceRecord Step(GovernanceRecord record, GovernanceStepKind kind, Instant at, string by, string? reason, EntryId? entry)
    {
        var previous = record.Steps.Count == 0 ? LedgerKey.Genesis : record.Steps[^1].Hash;
        var draft = new GovernanceStep(kind, at, by, reason, entry, string.Empty);
        var hash = ledgerKey.StepHash(previous, record.Id, JsonSerializer.Serialize(draft, JsonSetup.Options));
        return record with { Steps = [.. record.Steps, draft with { Hash = hash }] };
    }

    private void Save(GovernanceRecord record, bool insert = false)
    {
        var doc = new GovernanceRecordDoc
        {
            Id = record.Id,
            Resident = record.Resident.Value,
            Community = record.Community.Value,
            Status = (int)record.Status,
            DueAt = record.Status == RecordStatus.Pending && record.PostingEndsAt is { } ends ? ends.ToUnixTimeTicks() : long.MaxValue,
            Entry = record.Entry?.Value ?? 0,
            Json = JsonSerializer.Serialize(record, JsonSetup.Options),
        };
        if (insert)
        {
            store.Records.Insert(doc);
        }
        else
        {
            store.Records.Update(doc);
        }
    }

    internal static GovernanceRecord ToRecord(GovernanceRecordDoc doc) => JsonSerializer.Deserialize<GovernanceRecord>(doc.Json, JsonSetup.Options)!;

    private DateTimeZone ZoneOf(ResidentId resident) =>
        LedgerHandler.ResidentContext(store, resident, catalogs.Latest?.TimeZone ?? DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Zone;

    private static string Local(Instant at, DateTimeZone zone) =>
        at.InZone(zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static Refusal Unknown(long id) =>
        new(RefusalCode.NotFound, "recordId", $"no record {id} in the review loop", $"审核公示记录 {id} 不存在");

    private static Refusal WrongState(GovernanceRecord record, string zh, string en, params RecordStatus[] expected)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"record {record.Id} is {record.Status.ToString().ToLowerInvariant()}; only a record that is ");
        sb.Append(string.Join(" or ", expected.Select(s => s.ToString().ToLowerInvariant())));
        sb.Append(CultureInfo.InvariantCulture, $" can be {en}");
        return new Refusal(RefusalCode.InvalidState, "recordId", sb.ToString(), $"记录 {record.Id} 当前为{StatusZh(record.Status)}, 不能{zh}");
    }

    internal static string StatusZh(RecordStatus status) => status switch
    {
        RecordStatus.Submitted => "待审核",
        RecordStatus.Pending => "公示中",
        RecordStatus.Objected => "有异议待决定",
        RecordStatus.Confirmed => "已确认",
        RecordStatus.Rejected => "已驳回",
        _ => "已作废",
    };
}

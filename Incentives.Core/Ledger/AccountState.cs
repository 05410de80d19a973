using System.Globalization;
using Incentives.Catalog;
using Incentives.Rules;
using Incentives.Storage;
using NodaTime;

namespace Incentives.Ledger;

/// <summary>
/// What evaluation reads of a resident, kept in the resident's account document (so recording an award touches no
/// other document for it): cap counters per scope and period, the offences that make a deduction a repeat, service
/// hours per day, and the records of named acts. Reads may come from any thread (a preview); changes come from the
/// writer.
/// </summary>
internal sealed class AccountState(ILedgerStore store) : IEvaluationState
{
    private const string HoursScope = "hours";

    // Day counters older than this (relative to the counter written) are dropped: records are entered within the
    // recording window, so old days are never read again. Months and years are few; they stay.
    private const int KeepDays = 62;

    public long UsedBefore(ResidentId resident, string scope, PeriodKey period) =>
        store.Accounts.FindById(resident.Value)?.Counters.GetValueOrDefault(CounterKey(scope, period)) ?? 0;

    public void AddToCounter(ResidentId resident, string scope, PeriodKey period, long delta)
    {
        var account = store.Accounts.Require(resident.Value);
        var key = CounterKey(scope, period);
        var value = checked(account.Counters.GetValueOrDefault(key) + delta);
        if (value == 0)
        {
            account.Counters.Remove(key);
        }
        else
        {
            account.Counters[key] = value;
        }

        if (period.Kind == PeriodKind.Day && account.Counters.Count > 64)
        {
            Prune(account, period);
        }

        store.Accounts.Update(account);
    }

    public LocalDate? RelatedOffence(ResidentId resident, IndicatorCode indicator, LocalDate date, Period window, bool includeWarnings = false)
    {
        if (store.Accounts.FindById(resident.Value) is not { } account)
        {
            return null;
        }

        var day = DayNumber(date);
        var until = DayNumber(date.Plus(window));
        foreach (var o in account.Offences.Where(o => o.Indicator == indicator.Value && (includeWarnings || !o.Warning)).OrderBy(o => o.Day))
        {
            if ((o.Day <= day && day < o.Until) || (o.Day > day && o.Day < until))
            {
                return FromDayNumber(o.Day);
            }
        }

        return null;
    }

    public void AddOffence(ResidentId resident, EntryId entry, IndicatorCode indicator, LocalDate date, Period window, bool warning = false)
    {
        var account = store.Accounts.Require(resident.Value);
        account.Offences.Add(new OffenceRecord { Entry = entry.Value, Indicator = indicator.Value, Day = DayNumber(date), Until = DayNumber(date.Plus(window)), Warning = warning });
        store.Accounts.Update(account);
    }

    public void RemoveOffence(ResidentId resident, EntryId entry)
    {
        var account = store.Accounts.Require(resident.Value);
        account.Offences.RemoveAll(o => o.Entry == entry.Value);
        store.Accounts.Update(account);
    }

    /// <summary>A record in the governance loop holds its offence under a placeholder until its entry exists.</summary>
    public void RekeyOffence(ResidentId resident, EntryId from, EntryId to)
    {
        var account = store.Accounts.Require(resident.Value);
        foreach (var o in account.Offences.Where(o => o.Entry == from.Value))
        {
            o.Entry = to.Value;
        }

        store.Accounts.Update(account);
    }

    /// <summary>As <see cref="RekeyOffence"/>, for an act's record.</summary>
    public void RekeyActRecord(ResidentId resident, string actId, long from, long to)
    {
        var account = store.Accounts.Require(resident.Value);
        foreach (var r in account.Acts.Find(a => a.Id == actId)?.Records.Where(r => r.Entry == from) ?? [])
        {
            r.Entry = to;
        }

        store.Accounts.Update(account);
    }

    public decimal ServiceHoursOn(ResidentId resident, LocalDate date) =>
        UsedBefore(resident, HoursScope, PeriodKey.Of(PeriodKind.Day, date)) / 100m;

    /// <summary>Counts (or, negative, uncounts) service hours of a local day, in hundredths.</summary>
    public void AddServiceHours(ResidentId resident, LocalDate date, decimal hours) =>
        AddToCounter(resident, HoursScope, PeriodKey.Of(PeriodKind.Day, date), (long)(hours * 100));

    public ActStanding? Act(ResidentId resident, string actId)
    {
        if (store.Accounts.FindById(resident.Value)?.Acts.Find(a => a.Id == actId) is not { Records.Count: > 0 } act)
        {
            return null;
        }

        long points = 0;
        var credit = 0;
        var standing = act.Records[0];
        foreach (var r in act.Records)
        {
            points = checked(points + r.Paid);
            credit = checked(credit + r.PaidCredit);
            if (r.Paid > 0)
            {
                standing = r;
            }
        }

        return new ActStanding(points, credit, new EntryId(standing.Entry), new IndicatorCode(standing.Indicator));
    }

    /// <summary>The records of an act, oldest first (empty when none).</summary>
    public List<ActRecordDoc> ActRecords(ResidentId resident, string actId) =>
        store.Accounts.FindById(resident.Value)?.Acts.Find(a => a.Id == actId)?.Records ?? [];

    public void AddActRecord(ResidentId resident, string actId, ActRecordDoc record)
    {
        var account = store.Accounts.Require(resident.Value);
        var act = account.Acts.Find(a => a.Id == actId);
        if (act is null)
        {
            act = new ActDoc { Id = actId };
            account.Acts.Add(act);
        }

        act.Records.Add(record);
        store.Accounts.Update(account);
    }

    public void RemoveActRecord(ResidentId resident, string actId, long entry)
    {
        var account = store.Accounts.Require(resident.Value);
        account.Acts.Find(a => a.Id == actId)?.Records.RemoveAll(r => r.Entry == entry);
        store.Accounts.Update(account);
    }

    // Dates as yyyymmdd integers: ordered like the dates and readable in a dump.
    internal static int DayNumber(LocalDate date) => (date.Year * 10000) + (date.Month * 100) + date.Day;

    internal static LocalDate FromDayNumber(int day) => new(day / 10000, day / 100 % 100, day % 100);

    private static string CounterKey(string scope, PeriodKey period) => scope + "|" + period.Value;

    private static void Prune(AccountDoc account, PeriodKey latest)
    {
        var oldest = LocalDate.FromDateTime(DateTime.ParseExact(latest.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture)).PlusDays(-KeepDays)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var key in account.Counters.Keys.ToList())
        {
            var period = key[(key.LastIndexOf('|') + 1)..];
            if (period.Length == 10 && string.CompareOrdinal(period, oldest) < 0)
            {
                account.Counters.Remove(key);
            }
        }
    }
}

using Incentives.Credit;
using Incentives.Storage;
using Incentives.Catalog;
using Incentives.Ledger;
using System.Text.Json;
using Incentives.Mall;
using Incentives.Utility;

namespace Incentives.Mall;

/// <summary>Work that falls due with time: lapsed holds, expired points, overdue loans. Runs as one command on the
/// writer, so running it again, or from two places at once, finds nothing left to do.</summary>
internal sealed partial class MallHandler
{
    private const string SystemActor = LedgerHandler.SystemActor;

    public DueWorkReport DueWork(DueWorkCommand c)
    {
        var now = c.At.ToUnixTimeTicks();
        var holds = store.HoldsDue(now);
        foreach (var doc in holds)
        {
            Release(doc, MallMapping.ToReservation(doc), ReservationStatus.Expired, c.At, SystemActor);
        }

        var lots = _lots.Due(c.At);
        long expiredPoints = 0;
        foreach (var lot in lots)
        {
            var amount = _lots.Expire(lot);
            if (amount > 0)
            {
                var resident = new ResidentId(lot.Resident);
                var account = store.Accounts.Require(lot.Resident);
                account.Available -= amount;
                ledger.SystemEntry(account, resident, EntryKind.Expiry, -amount, NodaTime.Instant.FromUnixTimeTicks(lot.ExpiresAt), SystemActor,
                    $"积分批次 {lot.Id} 到期 / lot {lot.Id} expired", "expire-lot:" + lot.Id);
                expiredPoints += amount;
            }
        }

        var overdue = store.LoansDue(now);
        foreach (var doc in overdue)
        {
            var loan = JsonSerializer.Deserialize<Loan>(doc.Json, JsonSetup.Options)!;
            var item = MallMapping.ToItem(store.Items.Require(MallMapping.ItemKey(loan.Store, loan.Sku))).Definition;
            if (item.OverdueIndicator is { } indicator)
            {
                // The penalty is whatever the catalog says for that indicator (points and credit), never hard-coded.
                var result = ledger.Award(new AwardCommand(c.At, new AwardRequest(loan.Resident, indicator, 1, SystemActor, "overdue:" + loan.Id, c.At,
                    $"loan {loan.Id} of {loan.Sku} was due {loan.DueAt}")));
                loan = loan with { OverdueEntry = result.Value?.Id };
            }

            doc.Flagged = true;
            doc.CheckAt = long.MaxValue;
            doc.Json = JsonSerializer.Serialize(loan, JsonSetup.Options);
            store.Loans.Update(doc);
        }

        return new DueWorkReport(holds.Count, lots.Count, expiredPoints, overdue.Count);
    }
}

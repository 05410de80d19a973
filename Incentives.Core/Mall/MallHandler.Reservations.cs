using Incentives.Catalog;
using System.Globalization;
using System.Text.Json;
using Incentives.Credit;
using Incentives.Mall;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Storage;
using Incentives.Utility;
using NodaTime;

namespace Incentives.Mall;

/// <summary>The redemption lifecycle: reserve → fulfil | cancel | expire, and loan return. Each transition once.</summary>
internal sealed partial class MallHandler
{
    private const int MaxLines = 20;
    private const int MaxUnits = 99;

    public CommandResult<Reservation> Reserve(ReserveCommand c)
    {
        var r = c.Request;
        var payload = PayloadHash.Sha256(string.Join('\u001f', "reserve", r.Store.Value, r.Resident.Value,
            string.Join(',', r.Lines.Select(l => l.Sku + "×" + l.Quantity.ToString(CultureInfo.InvariantCulture)))));
        if (Idempotency.Check(store, "reserve:", r.IdempotencyKey, payload, id => MallMapping.ToReservation(store.Reservations.Require(id))) is { } replay)
        {
            return replay;
        }

        var (priced, refusal) = Price(r, c.At);
        if (refusal is not null)
        {
            return CommandResult<Reservation>.Refused(refusal);
        }

        var total = priced.Sum(p => checked(p.Line.Quantity * p.Line.UnitPrice));
        var account = store.Accounts.Require(r.Resident.Value);
        if (account.Available < total)
        {
            var shortfall = total - account.Available;
            return CommandResult<Reservation>.Refused(new Refusal(RefusalCode.InsufficientPoints, "lines",
                $"{shortfall} points short", $"还差 {shortfall} 分") { Shortfall = shortfall });
        }

        var date = c.At.InZone(ZoneOfResident(r.Resident)).Date;
        foreach (var (line, doc, limit) in priced)
        {
            doc.Stock -= line.Quantity;
            doc.Held += line.Quantity;
            store.Items.Update(doc);
            if (limit is not null)
            {
                accounts.AddToCounter(r.Resident, "buy:" + doc.Id, PeriodKey.Of(limit.Period, date), line.Quantity);
            }
        }

        var lots = total > 0 ? _lots.Hold(r.Resident, total) : [];
        account.Available -= total;
        account.Reserved += total;
        store.Accounts.Update(account);

        var id = store.Next("reservationId");
        var code = UniqueCode(r.Store, c.CodeSeed);
        var reservation = new Reservation
        {
            Id = id,
            Store = r.Store,
            Resident = r.Resident,
            PickupCode = code,
            Lines = priced.Select(p => p.Line).ToList(),
            HeldPoints = total,
            Lots = lots,
            Status = ReservationStatus.Open,
            CreatedAt = c.At,
            ExpiresAt = c.HoldUntil,
        };
        store.Reservations.Insert(new ReservationDoc
        {
            Id = id,
            Code = r.Store.Value + "|" + code,
            Resident = r.Resident.Value,
            Status = (int)ReservationStatus.Open,
            ExpiresAt = c.HoldUntil.ToUnixTimeTicks(),
            HoldUntil = c.HoldUntil.ToUnixTimeTicks(),
            Json = JsonSerializer.Serialize(reservation, JsonSetup.Options),
        });
        Idempotency.Remember(store, "reserve:" + r.IdempotencyKey, payload, id);
        return CommandResult<Reservation>.Ok(reservation);
    }

    public CommandResult<Reservation> Close(CloseReservationCommand c)
    {
        if (FindByCode(c.Store, c.PickupCode) is not { } doc)
        {
            return CommandResult<Reservation>.Refused(UnknownCode(c.PickupCode));
        }

        var reservation = MallMapping.ToReservation(doc);
        if (reservation.Status == c.To)
        {
            return CommandResult<Reservation>.Ok(reservation, replayed: true);
        }

        if (reservation.Status != ReservationStatus.Open || c.To is not (ReservationStatus.Fulfilled or ReservationStatus.Cancelled))
        {
            return CommandResult<Reservation>.Refused(new Refusal(RefusalCode.InvalidState, "pickupCode",
                $"the reservation is {reservation.Status.ToString().ToLowerInvariant()}", "该预约已结束"));
        }

        return CommandResult<Reservation>.Ok(c.To == ReservationStatus.Fulfilled
            ? Fulfil(doc, reservation, c.At, c.By)
            : Release(doc, reservation, ReservationStatus.Cancelled, c.At, c.By));
    }

    private Reservation Fulfil(ReservationDoc doc, Reservation reservation, Instant at, string by)
    {
        foreach (var line in reservation.Lines)
        {
            var item = store.Items.Require(MallMapping.ItemKey(reservation.Store, line.Sku));
            item.Held -= line.Quantity;
            item.Handed += line.Quantity;
            store.Items.Update(item);
            if (line.Kind == ItemKind.Loan)
            {
                OpenLoan(reservation, line, MallMapping.ToItem(item).Definition, at);
            }
        }

        _lots.ConsumeHeld(reservation.Lots);
        var account = store.Accounts.Require(reservation.Resident.Value);
        account.Reserved -= reservation.HeldPoints;
        EntryId? entry = null;
        if (reservation.HeldPoints > 0)
        {
            entry = ledger.SystemEntry(account, reservation.Resident, EntryKind.Redemption, -reservation.HeldPoints, at, by,
                $"兑换 预约 {reservation.Id} (取货码 {reservation.PickupCode}) / reservation {reservation.Id} ({reservation.PickupCode})", "redeem:" + reservation.Id).Id;
        }
        else
        {
            store.Accounts.Update(account);
        }

        return Save(doc, reservation with { Status = ReservationStatus.Fulfilled, ClosedAt = at, ClosedBy = by, Redemption = entry });
    }

    /// <summary>Cancel or expire: stock and the very same lots come back; points that land in a lot expired meanwhile
    /// expire at once.</summary>
    private Reservation Release(ReservationDoc doc, Reservation reservation, ReservationStatus status, Instant at, string by)
    {
        var date = reservation.CreatedAt.InZone(ZoneOfResident(reservation.Resident)).Date;
        foreach (var line in reservation.Lines)
        {
            var item = store.Items.Require(MallMapping.ItemKey(reservation.Store, line.Sku));
            item.Held -= line.Quantity;
            item.Stock += line.Quantity;
            store.Items.Update(item);
            if (MallMapping.ToItem(item).Definition.Limit is { } limit)
            {
                accounts.AddToCounter(reservation.Resident, "buy:" + item.Id, PeriodKey.Of(limit.Period, date), -line.Quantity);
            }
        }

        var expired = _lots.Release(reservation.Lots);
        var account = store.Accounts.Require(reservation.Resident.Value);
        account.Reserved -= reservation.HeldPoints;
        account.Available += reservation.HeldPoints - expired;
        if (expired > 0)
        {
            ledger.SystemEntry(account, reservation.Resident, EntryKind.Expiry, -expired, at, by,
                $"预约 {reservation.Id} 退回的积分落入已过期批次, 随即过期 / points of reservation {reservation.Id} returned to expired lots", "expire-held:" + reservation.Id);
        }
        else
        {
            store.Accounts.Update(account);
        }

        return Save(doc, reservation with { Status = status, ClosedAt = at, ClosedBy = by });
    }

    public CommandResult<Reservation> ReturnLoan(ReturnLoanCommand c)
    {
        if (FindByCode(c.Store, c.PickupCode) is not { } doc)
        {
            return CommandResult<Reservation>.Refused(UnknownCode(c.PickupCode));
        }

        var loans = store.LoansOfReservation(doc.Id);
        if (loans.Count == 0)
        {
            return CommandResult<Reservation>.Refused(new Refusal(RefusalCode.InvalidState, "pickupCode", "nothing of this reservation is on loan", "该预约无借用物品"));
        }

        var open = loans.Where(l => l.Open).ToList();
        foreach (var l in open)
        {
            var loan = JsonSerializer.Deserialize<Loan>(l.Json, JsonSetup.Options)! with { ReturnedAt = c.At };
            var item = store.Items.Require(MallMapping.ItemKey(loan.Store, loan.Sku));
            item.Handed -= loan.Quantity;
            item.Stock += loan.Quantity;
            store.Items.Update(item);
            l.Open = false;
            l.CheckAt = long.MaxValue;
            l.Json = JsonSerializer.Serialize(loan, JsonSetup.Options);
            store.Loans.Update(l);
        }

        return CommandResult<Reservation>.Ok(MallMapping.ToReservation(doc), replayed: open.Count == 0);
    }

    private void OpenLoan(Reservation reservation, ReservationLine line, ItemDefinition item, Instant at)
    {
        var zone = ZoneOfResident(reservation.Resident);
        // Due by the end of the last day, in the community's calendar.
        var due = at.InZone(zone).Date.PlusDays(item.LoanDays!.Value + 1).AtStartOfDayInZone(zone).ToInstant();
        var id = store.Next("loanId");
        var loan = new Loan(id, reservation.Id, reservation.Store, line.Sku, reservation.Resident, line.Quantity, due, null, null);
        store.Loans.Insert(new LoanDoc { Id = id, Reservation = reservation.Id, Resident = reservation.Resident.Value, Open = true, DueAt = due.ToUnixTimeTicks(), CheckAt = due.ToUnixTimeTicks(), Json = JsonSerializer.Serialize(loan, JsonSetup.Options) });
    }

    private ReservationDoc? FindByCode(StoreId storeId, string pickupCode)
    {
        var key = storeId.Value + "|" + PickupCodes.Normalize(pickupCode);
        return store.ReservationByCode(key);
    }

    private static Refusal UnknownCode(string pickupCode) =>
        NotFound("pickupCode", $"no reservation with code '{pickupCode}' in this store", $"取货码 '{pickupCode}' 无效");

    private Reservation Save(ReservationDoc doc, Reservation reservation)
    {
        doc.Status = (int)reservation.Status;
        doc.HoldUntil = reservation.Status == ReservationStatus.Open ? doc.ExpiresAt : long.MaxValue;
        doc.Json = JsonSerializer.Serialize(reservation, JsonSetup.Options);
        store.Reservations.Update(doc);
        return reservation;
    }

    private string UniqueCode(StoreId storeId, long seed)
    {
        for (var attempt = 0; ; attempt++)
        {
            var code = PickupCodes.Make(seed, attempt);
            var key = storeId.Value + "|" + code;
            if (store.ReservationByCode(key) is null)
            {
                return code;
            }
        }
    }

    private IEnumerable<Reservation> ReservationsOf(ResidentId resident)
    {
        return store.ReservationsOf(resident.Value).Select(MallMapping.ToReservation);
    }

    private DateTimeZone ZoneOfResident(ResidentId resident) => LedgerHandler.ResidentContext(store, resident, catalogs.Latest!.TimeZone).Zone;
}

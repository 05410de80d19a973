using Incentives.Storage;
using NodaTime;

namespace Incentives.Ledger;

/// <summary>
/// Keeps each resident's lots in step with the balance: Σ remaining = available and Σ held = reserved, and within each
/// lot <c>Original == Remaining + Held + Spent + ExpiredPoints + Debited</c>. Writes run on the writer thread only.
/// </summary>
internal sealed class LotBook(ILedgerStore store)
{
    public void Credit(EntryId entry, ResidentId resident, long amount, Instant? expiresAt) =>
        store.Lots.Insert(new LotDoc
        {
            Id = entry.Value,
            Resident = resident.Value,
            Original = amount,
            Remaining = amount,
            ExpiresAt = expiresAt?.ToUnixTimeTicks() ?? long.MaxValue,
            DueAt = expiresAt?.ToUnixTimeTicks() ?? long.MaxValue,
        });

    /// <summary>Takes points from the lots that expire soonest and says which lots gave them, so a reversal can give
    /// them back to the same lots.</summary>
    public List<LotAllocation> Debit(ResidentId resident, long amount)
    {
        var taken = new List<LotAllocation>();
        foreach (var lot in Spendable(resident))
        {
            if (amount == 0)
            {
                break;
            }

            var take = Math.Min(amount, lot.Remaining);
            lot.Remaining -= take;
            lot.Debited += take;
            amount -= take;
            store.Lots.Update(lot);
            taken.Add(new LotAllocation(lot.Id, take));
        }

        if (amount != 0)
        {
            throw new InvalidOperationException($"lots of '{resident}' hold {amount} points fewer than the balance");
        }

        return taken;
    }

    /// <summary>Takes up to <paramref name="amount"/> of one lot's remaining points (a reversal taking back its own lot).</summary>
    public long TakeFrom(LotDoc lot, long amount)
    {
        var take = Math.Min(amount, lot.Remaining);
        lot.Remaining -= take;
        lot.Debited += take;
        store.Lots.Update(lot);
        return take;
    }

    /// <summary>Gives debited points back to the lots they came from (a reversed deduction). Points whose lot expired
    /// meanwhile expire at once (counted as expired in that lot); points whose lot's own entry was reversed meanwhile
    /// cannot go back into it — that lot no longer stands — and are returned as orphaned, with the soonest expiry of
    /// their lots, for the caller to put in a lot of the reversal's own.</summary>
    public (long Expired, long Orphaned, Instant? OrphanExpiry) Restore(IEnumerable<LotAllocation> allocations)
    {
        long expired = 0;
        long orphaned = 0;
        long orphanExpiry = long.MaxValue;
        foreach (var a in allocations)
        {
            var lot = store.Lots.Require(a.Lot);
            if (store.Reversals.FindById(a.Lot) is not null)
            {
                orphaned += a.Amount;
                orphanExpiry = Math.Min(orphanExpiry, lot.ExpiresAt);
                continue;
            }

            lot.Debited -= a.Amount;
            if (lot.Expired)
            {
                lot.ExpiredPoints += a.Amount;
                expired += a.Amount;
            }
            else
            {
                lot.Remaining += a.Amount;
            }

            store.Lots.Update(lot);
        }

        return (expired, orphaned, orphanExpiry == long.MaxValue ? null : Instant.FromUnixTimeTicks(orphanExpiry));
    }

    public LotDoc? Find(EntryId entry) => store.Lots.FindById(entry.Value);

    /// <summary>Moves points from remaining to held, soonest expiry first, and says which lots gave them.</summary>
    public List<LotAllocation> Hold(ResidentId resident, long amount)
    {
        var allocations = new List<LotAllocation>();
        foreach (var lot in Spendable(resident))
        {
            if (amount == 0)
            {
                break;
            }

            var take = Math.Min(amount, lot.Remaining);
            lot.Remaining -= take;
            lot.Held += take;
            amount -= take;
            store.Lots.Update(lot);
            allocations.Add(new LotAllocation(lot.Id, take));
        }

        if (amount != 0)
        {
            throw new InvalidOperationException($"lots of '{resident}' hold {amount} points fewer than the balance");
        }

        return allocations;
    }

    /// <summary>Gives held points back to the same lots; returns how many landed in lots already expired, which the
    /// caller must expire at once.</summary>
    public long Release(IEnumerable<LotAllocation> allocations)
    {
        long expired = 0;
        foreach (var a in allocations)
        {
            var lot = store.Lots.Require(a.Lot);
            lot.Held -= a.Amount;
            if (lot.Expired)
            {
                lot.ExpiredPoints += a.Amount;
                expired += a.Amount;
            }
            else
            {
                lot.Remaining += a.Amount;
            }

            store.Lots.Update(lot);
        }

        return expired;
    }

    /// <summary>Held points leave for good (the goods were handed over).</summary>
    public void ConsumeHeld(IEnumerable<LotAllocation> allocations)
    {
        foreach (var a in allocations)
        {
            var lot = store.Lots.Require(a.Lot);
            lot.Held -= a.Amount;
            lot.Spent += a.Amount;
            store.Lots.Update(lot);
        }
    }

    /// <summary>Expires what remains of a lot past its expiry; returns the points expired.</summary>
    public long Expire(LotDoc lot)
    {
        var amount = lot.Remaining;
        lot.Remaining = 0;
        lot.ExpiredPoints += amount;
        lot.Expired = true;
        lot.DueAt = long.MaxValue;
        store.Lots.Update(lot);
        return amount;
    }

    /// <summary>Lots past their expiry that the expiry run has not yet expired.</summary>
    public List<LotDoc> Due(Instant now)
    {
        return [.. store.LotsDue(now.ToUnixTimeTicks())];
    }

    public IReadOnlyList<Lot> Of(ResidentId resident)
    {
        return store.LotsOf(resident.Value).Select(ToLot).ToList();
    }

    internal static Lot ToLot(LotDoc l) =>
        new(new EntryId(l.Id), l.Original, l.Remaining, l.Held, l.ExpiresAt == long.MaxValue ? null : Instant.FromUnixTimeTicks(l.ExpiresAt), l.Expired,
            l.Spent, l.ExpiredPoints, l.Debited);

    private List<LotDoc> Spendable(ResidentId resident)
    {
        return [.. store.SpendableLotsOf(resident.Value)];
    }
}

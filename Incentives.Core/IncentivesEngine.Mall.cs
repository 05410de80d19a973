using System.Security.Cryptography;
using Incentives.Ledger;
using Incentives.Mall;
using Incentives.Rules;
using NodaTime;

namespace Incentives;

/// <summary>The points mall (积分超市): stores, items and stock, reservations with pickup codes, loans, expiry.</summary>
public sealed partial class IncentivesEngine
{
    /// <summary>Opens a store for a community.</summary>
    /// <param name="id">The store id.</param>
    /// <param name="community">The community it serves.</param>
    /// <param name="name">Display name.</param>
    /// <returns>The store, or a refusal.</returns>
    public Task<CommandResult<Store>> CreateStoreAsync(StoreId id, CommunityId community, string name) =>
        Submit<CommandResult<Store>>(new CreateStoreCommand(_clock.GetCurrentInstant(), id, community, name));

    /// <summary>Adds an item to a store or replaces its definition; stock is changed only by <see cref="ChangeStockAsync"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="item">The definition.</param>
    /// <param name="by">Who.</param>
    /// <param name="createOnly">Refuse (<see cref="RefusalCode.AlreadyExists"/>) instead of replacing an item of the same
    /// sku: checked on the writer thread, so of two concurrent creations of one sku exactly one wins.</param>
    /// <returns>The item with its stock, or a refusal naming the bad field.</returns>
    public Task<CommandResult<StoreItem>> DefineItemAsync(StoreId store, ItemDefinition item, string by, bool createOnly = false)
    {
        ArgumentNullException.ThrowIfNull(item);
        return (Plausible.Check(item.ActiveFrom, "activeFrom") ?? Plausible.Check(item.ActiveTo, "activeTo")) is { } implausible
            ? Task.FromResult(CommandResult<StoreItem>.Refused(implausible))
            : Submit<CommandResult<StoreItem>>(new DefineItemCommand(_clock.GetCurrentInstant(), store, item, by, createOnly));
    }

    /// <summary>Receives, writes off or corrects stock, journaled with who and why.</summary>
    /// <param name="store">The store.</param>
    /// <param name="sku">The item.</param>
    /// <param name="kind">Receive (positive), write-off (positive quantity taken off) or correction (signed).</param>
    /// <param name="quantity">Units.</param>
    /// <param name="by">Who.</param>
    /// <param name="reason">Why.</param>
    /// <param name="idempotencyKey">Optional: a retried delivery with the same key is applied once; the retry answers
    /// with the item as it is now (<see cref="CommandResult{T}.Replayed"/> true).</param>
    /// <returns>The item with its new stock, or a refusal.</returns>
    public Task<CommandResult<StoreItem>> ChangeStockAsync(StoreId store, string sku, StockChangeKind kind, long quantity, string by, string reason, string? idempotencyKey = null) =>
        Submit<CommandResult<StoreItem>>(new StockChangeCommand(_clock.GetCurrentInstant(), store, sku, kind, quantity, by, reason, idempotencyKey));

    /// <summary>Reserves goods: holds the points (soonest-expiring lots first) and the stock, and returns a pickup code.</summary>
    /// <param name="request">What, for whom, and the idempotency key.</param>
    /// <returns>The reservation, or a refusal with its reason (shortfall, stock left, limit reset, tier needed…).</returns>
    public Task<CommandResult<Reservation>> ReserveAsync(ReservationRequest request)
    {
        var now = _clock.GetCurrentInstant();
        return Submit<CommandResult<Reservation>>(new ReserveCommand(now, request, now + _options.ReservationHold, BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8))));
    }

    /// <summary>Hands the goods over: the held points are spent. Fulfilling twice answers the first result again.</summary>
    /// <param name="store">The store.</param>
    /// <param name="pickupCode">The code the resident shows.</param>
    /// <param name="by">Who hands over.</param>
    /// <returns>The reservation, or a refusal (unknown code, cancelled, expired).</returns>
    public Task<CommandResult<Reservation>> FulfilAsync(StoreId store, string pickupCode, string by) =>
        Submit<CommandResult<Reservation>>(new CloseReservationCommand(_clock.GetCurrentInstant(), store, pickupCode, ReservationStatus.Fulfilled, by));

    /// <summary>Cancels an open reservation: the points (to the same lots) and the stock come back.</summary>
    /// <param name="store">The store.</param>
    /// <param name="pickupCode">The pickup code.</param>
    /// <param name="by">Who cancels.</param>
    /// <returns>The reservation, or a refusal (unknown code, already fulfilled or expired).</returns>
    public Task<CommandResult<Reservation>> CancelAsync(StoreId store, string pickupCode, string by) =>
        Submit<CommandResult<Reservation>>(new CloseReservationCommand(_clock.GetCurrentInstant(), store, pickupCode, ReservationStatus.Cancelled, by));

    /// <summary>Takes back what a reservation lent out (信用借还).</summary>
    /// <param name="store">The store.</param>
    /// <param name="pickupCode">The reservation's pickup code.</param>
    /// <param name="by">Who takes it back.</param>
    /// <returns>The reservation, or a refusal (unknown code, nothing lent).</returns>
    public Task<CommandResult<Reservation>> ReturnLoanAsync(StoreId store, string pickupCode, string by) =>
        Submit<CommandResult<Reservation>>(new ReturnLoanCommand(_clock.GetCurrentInstant(), store, pickupCode, by));

    /// <summary>Runs the work due by now: lapsed holds are released, points past expiry expire, overdue loans are
    /// recorded through their catalog indicator. Safe to run repeatedly or from several places at once.</summary>
    /// <returns>What was done.</returns>
    public Task<DueWorkReport> RunDueWorkAsync() => Submit<DueWorkReport>(new DueWorkCommand(_clock.GetCurrentInstant()));

    /// <summary>A store.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>The store, or null.</returns>
    public Store? GetStore(StoreId id) => _store.Read(() =>
        _store.Stores.FindById(id.Value) is { } d ? new Store(new StoreId(d.Id), new CommunityId(d.Community), d.Name) : null);

    /// <summary>A store's items with their stock, by sku.</summary>
    /// <param name="store">The store.</param>
    /// <returns>The items.</returns>
    public IReadOnlyList<StoreItem> GetItems(StoreId store)
    {
        var id = store.Value;
        return _store.Read(() => _store.ItemsOf(id).Select(MallMapping.ToItem).OrderBy(i => i.Definition.Sku, StringComparer.Ordinal).ToList());
    }

    /// <summary>The stock journal of one item (入库, 报损, 盘点): who changed the stock, when, by how much and why,
    /// newest first.</summary>
    /// <param name="store">The store.</param>
    /// <param name="sku">The item.</param>
    /// <param name="max">At most this many changes (1–1000).</param>
    /// <returns>The changes; empty for an unknown item.</returns>
    public IReadOnlyList<StockChange> GetStockChanges(StoreId store, string sku, int max = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, 1000);
        var key = MallMapping.ItemKey(store, sku);
        return _store.Read(() =>
        {
            var docs = _store.StockChangesOf(key);
            var changes = new List<StockChange>(Math.Min(max, docs.Count));
            for (var i = docs.Count - 1; i >= 0 && changes.Count < max; i--)
            {
                changes.Add(System.Text.Json.JsonSerializer.Deserialize<StockChange>(docs[i].Json, Utility.JsonSetup.Options)!);
            }

            return changes;
        });
    }

    /// <summary>A reservation by its store and pickup code.</summary>
    /// <param name="store">The store.</param>
    /// <param name="pickupCode">The code.</param>
    /// <returns>The reservation, or null.</returns>
    public Reservation? GetReservation(StoreId store, string pickupCode)
    {
        var key = store.Value + "|" + PickupCodes.Normalize(pickupCode);
        return _store.Read(() => _store.ReservationByCode(key) is { } d ? MallMapping.ToReservation(d) : null);
    }

    /// <summary>A resident's reservations, newest first.</summary>
    /// <param name="resident">Who.</param>
    /// <param name="openOnly">Only those still waiting for pickup.</param>
    /// <returns>The reservations.</returns>
    public IReadOnlyList<Reservation> GetReservations(ResidentId resident, bool openOnly = false)
    {
        var id = resident.Value;
        return _store.Read(() => _store.ReservationsOf(id).Select(MallMapping.ToReservation)
            .Where(r => !openOnly || r.Status == ReservationStatus.Open).ToList());
    }

    /// <summary>A resident's lots, soonest expiry first.</summary>
    /// <param name="resident">Who.</param>
    /// <returns>The lots.</returns>
    public IReadOnlyList<Lot> GetLots(ResidentId resident) => _store.Read(() => new LotBook(_store).Of(resident));

    /// <summary>Available points that will expire within the given time from now (e.g. 30 or 90 days), so a kiosk
    /// can warn the resident.</summary>
    /// <param name="resident">Who.</param>
    /// <param name="within">How far ahead to look.</param>
    /// <returns>The points.</returns>
    public long GetExpiringPoints(ResidentId resident, Duration within)
    {
        var horizon = _clock.GetCurrentInstant() + within;
        return GetLots(resident).Where(l => !l.Expired && l.ExpiresAt is { } e && e <= horizon).Sum(l => l.Remaining);
    }
}

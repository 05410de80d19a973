using Incentives.Ledger;
using NodaTime;

namespace Incentives.Mall;

/// <summary>Where a reservation is in its life; each transition happens once.</summary>
public enum ReservationStatus
{
    /// <summary>Points and stock are held; waiting for pickup.</summary>
    Open,

    /// <summary>Picked up: the points are spent, the goods gone.</summary>
    Fulfilled,

    /// <summary>Cancelled: points and stock returned.</summary>
    Cancelled,

    /// <summary>Not picked up within the hold window: points and stock returned.</summary>
    Expired,
}

/// <summary>One line of a reservation, priced at reservation time.</summary>
/// <param name="Sku">Item.</param>
/// <param name="Quantity">Units.</param>
/// <param name="UnitPrice">Points per unit after any tier price.</param>
/// <param name="Kind">Goods, service or loan.</param>
public sealed record ReservationLine(string Sku, int Quantity, long UnitPrice, ItemKind Kind);

/// <summary>A reservation (预约兑换) with its pickup code (取货码).</summary>
public sealed record Reservation
{
    /// <summary>Id, from 1.</summary>
    public required long Id { get; init; }

    /// <summary>The store.</summary>
    public required StoreId Store { get; init; }

    /// <summary>Who reserved.</summary>
    public required ResidentId Resident { get; init; }

    /// <summary>Six characters with no look-alikes; unique within the store.</summary>
    public required string PickupCode { get; init; }

    /// <summary>The lines.</summary>
    public required IReadOnlyList<ReservationLine> Lines { get; init; }

    /// <summary>Points held (and spent on fulfilment).</summary>
    public required long HeldPoints { get; init; }

    /// <summary>The lots the points are held from.</summary>
    public required IReadOnlyList<LotAllocation> Lots { get; init; }

    /// <summary>Where it is in its life.</summary>
    public required ReservationStatus Status { get; init; }

    /// <summary>When it was made.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>When the hold lapses if not picked up.</summary>
    public required Instant ExpiresAt { get; init; }

    /// <summary>When it was fulfilled, cancelled or expired.</summary>
    public Instant? ClosedAt { get; init; }

    /// <summary>Who closed it.</summary>
    public string? ClosedBy { get; init; }

    /// <summary>The redemption entry written on fulfilment.</summary>
    public EntryId? Redemption { get; init; }
}

/// <summary>A loan handed out (信用借还) and whether it came back.</summary>
/// <param name="Id">Loan id.</param>
/// <param name="Reservation">The reservation it came from.</param>
/// <param name="Store">Store.</param>
/// <param name="Sku">Item.</param>
/// <param name="Resident">Borrower.</param>
/// <param name="Quantity">Units.</param>
/// <param name="DueAt">When it is due back.</param>
/// <param name="ReturnedAt">When it came back.</param>
/// <param name="OverdueEntry">The entry recorded through the overdue indicator, if any.</param>
public sealed record Loan(long Id, long Reservation, StoreId Store, string Sku, ResidentId Resident, int Quantity, Instant DueAt, Instant? ReturnedAt, EntryId? OverdueEntry);

/// <summary>What one due-work run did.</summary>
/// <param name="ExpiredHolds">Reservations whose hold lapsed.</param>
/// <param name="ExpiredLots">Lots whose points expired.</param>
/// <param name="ExpiredPoints">Points expired in all.</param>
/// <param name="OverdueLoans">Loans found overdue for the first time.</param>
public sealed record DueWorkReport(int ExpiredHolds, int ExpiredLots, long ExpiredPoints, int OverdueLoans)
{
    /// <summary>Public postings (公示) whose period ended and that were confirmed.</summary>
    public int ConfirmedPostings { get; init; }
}

/// <summary>One line of a reservation request.</summary>
/// <param name="Sku">Item.</param>
/// <param name="Quantity">Units, 1–99.</param>
public sealed record LineRequest(string Sku, int Quantity);

/// <summary>Reserve goods: one or more lines.</summary>
/// <param name="Store">Store.</param>
/// <param name="Resident">Who.</param>
/// <param name="Lines">The lines, each sku once.</param>
/// <param name="IdempotencyKey">The caller's key.</param>
public sealed record ReservationRequest(StoreId Store, ResidentId Resident, IReadOnlyList<LineRequest> Lines, string IdempotencyKey);

using Incentives.Storage;

namespace Incentives.Mall;

/// <summary>What the mall needs from storage: stores, items and their stock journal, reservations and loans.</summary>
internal interface IMallStore
{
    IDocumentTable<StoreDoc, string> Stores { get; }

    IDocumentTable<ItemDoc, string> Items { get; }

    IDocumentTable<StockChangeDoc, long> StockChanges { get; }

    IDocumentTable<ReservationDoc, long> Reservations { get; }

    IDocumentTable<LoanDoc, long> Loans { get; }

    /// <summary>A store's items (any order).</summary>
    IReadOnlyList<ItemDoc> ItemsOf(string store);

    /// <summary>Every item by id (streamed).</summary>
    IEnumerable<ItemDoc> ItemsInIdOrder();

    /// <summary>An item's stock journal, oldest first.</summary>
    IReadOnlyList<StockChangeDoc> StockChangesOf(string item);

    /// <summary>The reservation with this "store|code", or null.</summary>
    ReservationDoc? ReservationByCode(string storeAndCode);

    /// <summary>A resident's reservations, newest first.</summary>
    IReadOnlyList<ReservationDoc> ReservationsOf(string resident);

    /// <summary>Open holds that lapse at or before <paramref name="ticks"/>, oldest first.</summary>
    IReadOnlyList<ReservationDoc> HoldsDue(long ticks);

    IReadOnlyList<LoanDoc> LoansOfReservation(long reservation);

    /// <summary>A resident's loans, newest first.</summary>
    IReadOnlyList<LoanDoc> LoansOf(string resident);

    /// <summary>Open, unflagged loans due at or before <paramref name="ticks"/>, oldest first.</summary>
    IReadOnlyList<LoanDoc> LoansDue(long ticks);
}

using System.Diagnostics.CodeAnalysis;
using Incentives.Catalog;
using Incentives.Ledger;
using Incentives.Rules;
using NodaTime;

namespace Incentives.Mall;

/// <summary>A store id (积分超市编号), of the same form as a resident id.</summary>
public readonly record struct StoreId
{
    /// <summary>Creates an id after checking its form.</summary>
    /// <param name="value">The id text.</param>
    /// <exception cref="ArgumentException">The text is empty, too long or has other characters.</exception>
    public StoreId(string value) => Value = Ids.Check(value, nameof(value));

    /// <summary>Reads an id without throwing: a store id of the right form.</summary>
    /// <param name="text">The text, e.g. from a URL.</param>
    /// <param name="id">The id, when the text has the form.</param>
    /// <returns>Whether <paramref name="text"/> is 1–64 of A–Z, a–z, 0–9, '-', '_'.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out StoreId id)
    {
        id = Ids.IsValid(text) ? new StoreId(text) : default;
        return id.Value is not null;
    }

    /// <summary>The id's text.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>A points supermarket (积分超市) of a community; a community may have several.</summary>
/// <param name="Id">Store id.</param>
/// <param name="Community">The community it serves.</param>
/// <param name="Name">Display name.</param>
public sealed record Store(StoreId Id, CommunityId Community, string Name);

/// <summary>What a resident gets for the points.</summary>
public enum ItemKind
{
    /// <summary>Goods taken home.</summary>
    Goods,

    /// <summary>A voucher for a service (a haircut, a health check).</summary>
    Service,

    /// <summary>信用借还: borrowed without deposit and due back after some days.</summary>
    Loan,
}

/// <summary>A tier price: residents of <paramref name="Tier"/> or better pay <paramref name="Percent"/>% of the price.</summary>
/// <param name="Tier">A tier code.</param>
/// <param name="Percent">1–100.</param>
public sealed record TierPrice(string Tier, int Percent);

/// <summary>At most <paramref name="Quantity"/> units per resident per calendar <paramref name="Period"/> of the community.</summary>
/// <param name="Quantity">Units.</param>
/// <param name="Period">Day, month or year.</param>
public sealed record PurchaseLimit(int Quantity, PeriodKind Period);

/// <summary>What a store offers, as staff define it (商品). Stock is kept apart, with its own journal.</summary>
/// <param name="Sku">The store's code for it.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Price">Points per unit (0 allowed, e.g. for loans).</param>
/// <param name="Kind">Goods, service or loan.</param>
/// <param name="MinTier">Only residents of this tier or better may take it (信用超市), if set.</param>
/// <param name="Limit">A per-resident limit, if any.</param>
/// <param name="TierPrices">Discounts by tier.</param>
/// <param name="ActiveFrom">Offered from this instant, if set.</param>
/// <param name="ActiveTo">Offered until this instant (exclusive), if set.</param>
/// <param name="LoanDays">For loans: days until due back.</param>
/// <param name="OverdueIndicator">For loans: the catalog indicator recorded when a loan is overdue, if any.</param>
/// <param name="Picture">The item's picture, if any: the SHA-256 of its bytes as 64 lowercase hex digits. The engine
/// keeps only this name; where the bytes live is the host's business (the API keeps them in its own store).</param>
/// <param name="LowStockAt">Stock at or below this many units is low (库存不足) on the staff desk;
/// <see cref="DefaultLowStockAt"/> when not set.</param>
public sealed record ItemDefinition(
    string Sku,
    string NameZh,
    string NameEn,
    long Price,
    ItemKind Kind,
    string? MinTier = null,
    PurchaseLimit? Limit = null,
    IReadOnlyList<TierPrice>? TierPrices = null,
    Instant? ActiveFrom = null,
    Instant? ActiveTo = null,
    int? LoanDays = null,
    IndicatorCode? OverdueIndicator = null,
    string? Picture = null,
    int? LowStockAt = null)
{
    /// <summary>The low-stock mark of an item that sets none: 5 units.</summary>
    public const int DefaultLowStockAt = 5;

    /// <summary>Whether <paramref name="stock"/> free units are low for this item (at or below
    /// <see cref="LowStockAt"/>, else <see cref="DefaultLowStockAt"/>).</summary>
    /// <param name="stock">Units free to reserve.</param>
    /// <returns>True when staff should restock.</returns>
    public bool IsLow(long stock) => stock <= (LowStockAt ?? DefaultLowStockAt);

    /// <summary>Whether <paramref name="name"/> has the form of a <see cref="Picture"/> name: 64 lowercase hex digits.</summary>
    /// <param name="name">The text, e.g. from a URL.</param>
    /// <returns>True for a SHA-256 in lowercase hex.</returns>
    public static bool IsPictureName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name)
    {
        if (name is not { Length: 64 })
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>An item with its stock (库存).</summary>
/// <param name="Definition">What it is.</param>
/// <param name="Stock">Units free to reserve.</param>
/// <param name="Held">Units held by open reservations.</param>
/// <param name="Handed">Units handed over (for loans: currently out).</param>
/// <param name="Received">Units ever received.</param>
public sealed record StoreItem(ItemDefinition Definition, long Stock, long Held, long Handed, long Received);

/// <summary>The kind of a stock change.</summary>
public enum StockChangeKind
{
    /// <summary>Goods delivered (入库), positive.</summary>
    Receive,

    /// <summary>Damaged or lost goods written off (报损), negative.</summary>
    WriteOff,

    /// <summary>A stock count found a difference (盘点), either sign.</summary>
    Correction,
}

/// <summary>One journaled stock change.</summary>
/// <param name="Store">Store.</param>
/// <param name="Sku">Item.</param>
/// <param name="Kind">What kind.</param>
/// <param name="Quantity">Signed change to the free stock.</param>
/// <param name="By">Who.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record StockChange(StoreId Store, string Sku, StockChangeKind Kind, long Quantity, string By, string Reason, Instant At);

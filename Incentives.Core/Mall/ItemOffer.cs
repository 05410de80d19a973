namespace Incentives.Mall;

/// <summary>An item as one resident sees it: their price after any tier price, whether their tier admits it, and how
/// many more units their per-resident limit lets them take in the current period.</summary>
/// <param name="Item">The item and its stock.</param>
/// <param name="YourPrice">Points per unit for this resident.</param>
/// <param name="TierAllows">False when the item needs a tier the resident does not have (or they are unrated).</param>
/// <param name="LimitLeft">Units the resident may still reserve this day, month or year under the item's
/// per-resident limit (0 = limit reached, 本月已达上限); null when the item has no limit.</param>
public sealed record ItemOffer(StoreItem Item, long YourPrice, bool TierAllows, long? LimitLeft = null);

/// <summary>Points one resident earned (or lost) in one category in one local month.</summary>
/// <param name="Month">The month, e.g. <c>2026-11</c>.</param>
/// <param name="Category">The category code, e.g. <c>VOL</c>.</param>
/// <param name="Points">Net points: awards less deductions, reversals taken into account.</param>
public sealed record CategoryPoints(string Month, string Category, long Points);

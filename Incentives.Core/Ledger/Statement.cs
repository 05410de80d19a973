using NodaTime;

namespace Incentives.Ledger;

/// <summary>Which entries of a resident's journal to list (积分明细), newest first, a page at a time.</summary>
/// <param name="Resident">Whose journal.</param>
/// <param name="From">Entries that occurred at or after this instant.</param>
/// <param name="To">Entries that occurred before this instant.</param>
/// <param name="Kind">Only this kind.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Entries per page, 1–500.</param>
public sealed record StatementQuery(ResidentId Resident, Instant? From = null, Instant? To = null, EntryKind? Kind = null, int Page = 1, int PageSize = 50);

/// <summary>One page of results.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="PageNumber">1-based page number.</param>
/// <param name="PageSize">Page size asked for.</param>
/// <param name="Total">How many items match in all.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total);

/// <summary>The result of checking a resident's hash chain.</summary>
/// <param name="Valid">Whether every entry's hash and link hold and the balance equals the journal.</param>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="Problem">What is wrong, when not valid.</param>
public sealed record ChainVerification(bool Valid, long Entries, string? Problem);

/// <summary>The result of checking the whole ledger (<see cref="IncentivesEngine.Verify"/>).</summary>
/// <param name="Valid">Whether every check passed.</param>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="Residents">How many residents' chains were checked.</param>
/// <param name="Problems">What is wrong, one line each.</param>
public sealed record LedgerVerification(bool Valid, long Entries, long Residents, IReadOnlyList<string> Problems);

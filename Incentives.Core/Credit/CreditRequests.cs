using Incentives.Ledger;
using NodaTime;

namespace Incentives.Credit;

/// <summary>A manual credit record (一事一议): a delta with a reason and a document.</summary>
/// <param name="Resident">Whose credit.</param>
/// <param name="Delta">The score change, non-zero.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="Document">The document reference; required.</param>
/// <param name="RecordedBy">Who.</param>
/// <param name="IdempotencyKey">The caller's key.</param>
/// <param name="ValidFrom">From when it counts; null means now.</param>
/// <param name="ValidYears">How long it counts; null uses the catalog's validity for its sign and size.</param>
public sealed record ManualCreditRequest(ResidentId Resident, int Delta, string Reason, string Document, string RecordedBy,
    string IdempotencyKey, Instant? ValidFrom = null, int? ValidYears = null);

/// <summary>Direct grading (直接评级): the resident's tier is at most <paramref name="Tier"/> for some years.</summary>
/// <param name="Resident">Whose credit.</param>
/// <param name="Tier">The highest tier allowed, e.g. <c>B</c>.</param>
/// <param name="Years">How long, e.g. 2, 3 or 5.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="Document">The determination's reference; required.</param>
/// <param name="RecordedBy">Who.</param>
/// <param name="IdempotencyKey">The caller's key.</param>
public sealed record DirectGradingRequest(ResidentId Resident, string Tier, int Years, string Reason, string Document, string RecordedBy, string IdempotencyKey);

/// <summary>Credit repair (信用修复): reduce a record's delta and/or end it earlier. Never lengthens or worsens it.</summary>
/// <param name="Target">The record to repair.</param>
/// <param name="NewDelta">The reduced delta, same sign and no larger; null keeps it.</param>
/// <param name="NewValidTo">The earlier end; null keeps it.</param>
/// <param name="Reason">Why; required.</param>
/// <param name="Document">The repair decision's reference; required.</param>
/// <param name="RecordedBy">Who.</param>
/// <param name="IdempotencyKey">The caller's key.</param>
public sealed record CreditRepairRequest(long Target, int? NewDelta, Instant? NewValidTo, string Reason, string Document, string RecordedBy, string IdempotencyKey);

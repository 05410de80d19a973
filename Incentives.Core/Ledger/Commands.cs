using System.Text.Json.Serialization;
using Incentives.Credit;
using Incentives.Mall;
using NodaTime;

namespace Incentives.Ledger;

/// <summary>
/// Every change to the store is one of these. Commands are deterministic given the store's state: whatever depends
/// on the clock or on randomness (the instant, a new id) is fixed when the command is made, so the command log can
/// replay a command after a crash and get the very same result.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(RegisterCatalogCommand), "catalog")]
[JsonDerivedType(typeof(RegisterCommunityCommand), "community")]
[JsonDerivedType(typeof(RegisterResidentCommand), "resident")]
[JsonDerivedType(typeof(SetResidentStatusCommand), "residentStatus")]
[JsonDerivedType(typeof(AwardCommand), "award")]
[JsonDerivedType(typeof(ReverseCommand), "reverse")]
[JsonDerivedType(typeof(AdjustCommand), "adjust")]
[JsonDerivedType(typeof(ManualCreditCommand), "credit")]
[JsonDerivedType(typeof(DirectGradingCommand), "grade")]
[JsonDerivedType(typeof(CreditRepairCommand), "repair")]
[JsonDerivedType(typeof(ConsentCommand), "consent")]
[JsonDerivedType(typeof(EligibilityCommand), "eligibility")]
[JsonDerivedType(typeof(StoreEligibilityCommand), "eligibilityDecided")]
[JsonDerivedType(typeof(CreateStoreCommand), "store")]
[JsonDerivedType(typeof(DefineItemCommand), "item")]
[JsonDerivedType(typeof(StockChangeCommand), "stock")]
[JsonDerivedType(typeof(ReserveCommand), "reserve")]
[JsonDerivedType(typeof(CloseReservationCommand), "closeReservation")]
[JsonDerivedType(typeof(ReturnLoanCommand), "returnLoan")]
[JsonDerivedType(typeof(DueWorkCommand), "dueWork")]
[JsonDerivedType(typeof(SubmitCommand), "submit")]
[JsonDerivedType(typeof(ReviewCommand), "review")]
[JsonDerivedType(typeof(ObjectCommand), "object")]
[JsonDerivedType(typeof(DecideObjectionCommand), "decideObjection")]
[JsonDerivedType(typeof(AppealCommand), "appeal")]
[JsonDerivedType(typeof(DecideAppealCommand), "decideAppeal")]
internal abstract record LedgerCommand(Instant At);

internal sealed record RegisterCatalogCommand(Instant At, byte[] Canonical) : LedgerCommand(At);

internal sealed record RegisterCommunityCommand(Instant At, CommunityId Id, string Name, string Zone) : LedgerCommand(At);

internal sealed record RegisterResidentCommand(Instant At, ResidentId Id, CommunityId Community, string DisplayName, string? IdempotencyKey = null, int? BirthYear = null) : LedgerCommand(At);

internal sealed record SetResidentStatusCommand(Instant At, ResidentId Id, ResidentStatus Status) : LedgerCommand(At);

internal sealed record AwardCommand(Instant At, AwardRequest Request) : LedgerCommand(At);

internal sealed record ReverseCommand(Instant At, ReversalRequest Request) : LedgerCommand(At);

internal sealed record AdjustCommand(Instant At, AdjustmentRequest Request) : LedgerCommand(At);

internal sealed record ManualCreditCommand(Instant At, ManualCreditRequest Request) : LedgerCommand(At);

internal sealed record DirectGradingCommand(Instant At, DirectGradingRequest Request) : LedgerCommand(At);

internal sealed record CreditRepairCommand(Instant At, CreditRepairRequest Request) : LedgerCommand(At);

internal sealed record ConsentCommand(Instant At, ResidentId Resident, bool Granted, string By) : LedgerCommand(At);

internal sealed record EligibilityCommand(Instant At, string Benefit, IReadOnlyList<ResidentId> Residents, Instant? AsOf) : LedgerCommand(At);

/// <summary>Decisions made by readers, off the writer; the writer only numbers and stores them.</summary>
internal sealed record StoreEligibilityCommand(Instant At, IReadOnlyList<Credit.EligibilityDecision> Decisions) : LedgerCommand(At);

internal sealed record CreateStoreCommand(Instant At, StoreId Id, CommunityId Community, string Name) : LedgerCommand(At);

internal sealed record DefineItemCommand(Instant At, StoreId Store, ItemDefinition Item, string By, bool CreateOnly = false) : LedgerCommand(At);

internal sealed record StockChangeCommand(Instant At, StoreId Store, string Sku, StockChangeKind Kind, long Quantity, string By, string Reason, string? IdempotencyKey = null) : LedgerCommand(At);

/// <summary>The hold's end and the pickup-code seed are fixed at submission so a replay gives the same result.</summary>
internal sealed record ReserveCommand(Instant At, ReservationRequest Request, Instant HoldUntil, long CodeSeed) : LedgerCommand(At);

/// <summary>Fulfil (picked up) or cancel an open reservation, found by store and pickup code.</summary>
internal sealed record CloseReservationCommand(Instant At, StoreId Store, string PickupCode, ReservationStatus To, string By) : LedgerCommand(At);

internal sealed record ReturnLoanCommand(Instant At, StoreId Store, string PickupCode, string By) : LedgerCommand(At);

internal sealed record DueWorkCommand(Instant At) : LedgerCommand(At);

/// <summary>Record behaviour through the governance loop (docs/governance.md).</summary>
internal sealed record SubmitCommand(Instant At, AwardRequest Request) : LedgerCommand(At);

internal sealed record ReviewCommand(Instant At, Governance.ReviewRequest Request, bool Approve) : LedgerCommand(At);

internal sealed record ObjectCommand(Instant At, Governance.ObjectionRequest Request) : LedgerCommand(At);

internal sealed record DecideObjectionCommand(Instant At, Governance.ObjectionDecisionRequest Request) : LedgerCommand(At);

internal sealed record AppealCommand(Instant At, Governance.AppealRequest Request) : LedgerCommand(At);

internal sealed record DecideAppealCommand(Instant At, Governance.AppealDecisionRequest Request) : LedgerCommand(At);

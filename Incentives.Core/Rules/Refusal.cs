namespace Incentives.Rules;

/// <summary>Why a command was refused. Stable: the API maps each to a problem type and status.</summary>
public enum RefusalCode
{
    /// <summary>The indicator code is not in the catalog in force.</summary>
    UnknownIndicator,

    /// <summary>The indicator exists but is switched off.</summary>
    InactiveIndicator,

    /// <summary>No resident with that id.</summary>
    UnknownResident,

    /// <summary>The resident is not active.</summary>
    InactiveResident,

    /// <summary>The quantity is zero, negative, too large or fractional where the unit is whole.</summary>
    QuantityOutOfRange,

    /// <summary>The event is older than the recording window allows.</summary>
    OutsideRecordingWindow,

    /// <summary>The event is in the future.</summary>
    InTheFuture,

    /// <summary>No catalog version was in force on the event's date.</summary>
    NoCatalogInForce,

    /// <summary>A cap leaves no room: nothing would be awarded.</summary>
    CapReached,

    /// <summary>The idempotency key was used before with a different payload.</summary>
    IdempotencyConflict,

    /// <summary>No entry with that id.</summary>
    UnknownEntry,

    /// <summary>The entry was already reversed.</summary>
    AlreadyReversed,

    /// <summary>The entry is itself a reversal and cannot be reversed.</summary>
    NotReversible,

    /// <summary>A required field is missing or malformed (e.g. an empty reason).</summary>
    InvalidArgument,

    /// <summary>No community with that id.</summary>
    UnknownCommunity,

    /// <summary>The id is already taken.</summary>
    AlreadyExists,

    /// <summary>The balance does not cover the price; <see cref="Refusal.Shortfall"/> says by how much.</summary>
    InsufficientPoints,

    /// <summary>Not enough stock; <see cref="Refusal.Left"/> says what is left.</summary>
    OutOfStock,

    /// <summary>The per-resident limit is reached; <see cref="Refusal.ResetsAt"/> says when it resets.</summary>
    LimitReached,

    /// <summary>The resident's tier is too low (or they are unrated); <see cref="Refusal.TierNeeded"/> says which is needed.</summary>
    TierTooLow,

    /// <summary>The item is not offered now.</summary>
    ItemInactive,

    /// <summary>No store, item or reservation with that id or code.</summary>
    NotFound,

    /// <summary>The reservation or loan is not in a state that allows this.</summary>
    InvalidState,

    /// <summary>The points a reversal would take back are held by open reservations; <see cref="Refusal.PickupCodes"/>
    /// names them: cancel them first.</summary>
    PointsHeld,

    /// <summary>A later record of the same act stands on this one; <see cref="Refusal.Entries"/> names them: reverse
    /// those first (newest first).</summary>
    LaterRecordsOfAct,

    /// <summary>The volunteer service hours of the local day would exceed the catalog's daily bound;
    /// <see cref="Refusal.HoursToday"/> says how many are already recorded.</summary>
    DailyHoursExceeded,

    /// <summary>A deduction for a resident under 14 on the record's local date (no deductions for minors).</summary>
    MinorResident,

    /// <summary>The reviewer is the person who submitted the record: another person must approve or reject it.</summary>
    SelfApproval,

    /// <summary>The record would take the staff member past their daily issuing budget; <see cref="Refusal.Left"/> says
    /// how many points are left today.</summary>
    BudgetExceeded,

    /// <summary>The appeal period after the record's confirmation is over.</summary>
    AppealPeriodOver,
}

/// <summary>A refusal with its reason, the offending field and a message in English and Chinese.</summary>
/// <param name="Code">The stable reason.</param>
/// <param name="Field">The request field it concerns, in camelCase, e.g. <c>quantity</c>.</param>
/// <param name="Message">English message.</param>
/// <param name="MessageZh">Chinese message.</param>
public sealed record Refusal(RefusalCode Code, string Field, string Message, string MessageZh)
{
    /// <summary>For <see cref="RefusalCode.InsufficientPoints"/>: the points missing.</summary>
    public long? Shortfall { get; init; }

    /// <summary>For <see cref="RefusalCode.OutOfStock"/>: the units left; for <see cref="RefusalCode.BudgetExceeded"/>:
    /// the points left in today's budget.</summary>
    public long? Left { get; init; }

    /// <summary>For <see cref="RefusalCode.LimitReached"/>: when the limit resets.</summary>
    public NodaTime.Instant? ResetsAt { get; init; }

    /// <summary>For <see cref="RefusalCode.TierTooLow"/>: the tier needed.</summary>
    public string? TierNeeded { get; init; }

    /// <summary>For <see cref="RefusalCode.PointsHeld"/>: the pickup codes of the reservations holding the points.</summary>
    public IReadOnlyList<string>? PickupCodes { get; init; }

    /// <summary>For <see cref="RefusalCode.LaterRecordsOfAct"/> and <see cref="RefusalCode.NotReversible"/>: the entries
    /// (or, for a redemption, the reservation) to act on instead.</summary>
    public IReadOnlyList<long>? Entries { get; init; }

    /// <summary>For <see cref="RefusalCode.DailyHoursExceeded"/>: the hours already recorded that day.</summary>
    public decimal? HoursToday { get; init; }

    /// <summary>For <see cref="RefusalCode.DailyHoursExceeded"/>: the daily bound.</summary>
    public decimal? HoursLimit { get; init; }
}

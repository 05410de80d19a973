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
}

/// <summary>A refusal with its reason, the offending field and a message in English and Chinese.</summary>
/// <param name="Code">The stable reason.</param>
/// <param name="Field">The request field it concerns, in camelCase, e.g. <c>quantity</c>.</param>
/// <param name="Message">English message.</param>
/// <param name="MessageZh">Chinese message.</param>
public sealed record Refusal(RefusalCode Code, string Field, string Message, string MessageZh);

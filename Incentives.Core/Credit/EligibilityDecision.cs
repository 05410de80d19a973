using Incentives.Ledger;
using NodaTime;

namespace Incentives.Credit;

/// <summary>One criterion of a benefit and whether the resident meets it.</summary>
/// <param name="Code">Stable code: <c>rated</c>, <c>tier</c>, <c>stars</c>, <c>period</c>, <c>community</c>, <c>resident</c>.</param>
/// <param name="Met">Whether the criterion is met.</param>
/// <param name="Message">English, e.g. "tier AA is below AAA".</param>
/// <param name="MessageZh">Chinese.</param>
public sealed record EligibilityReason(string Code, bool Met, string Message, string MessageZh);

/// <summary>
/// The answer to "is this resident eligible for this benefit as of T?" (资格判定). Stored with a stable id so a
/// subsidy office can look it up again later and get the same answer for its audit.
/// </summary>
public sealed record EligibilityDecision
{
    /// <summary>Stable id, e.g. <c>EL-000042</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The benefit policy's code.</summary>
    public required string Benefit { get; init; }

    /// <summary>Who.</summary>
    public required ResidentId Resident { get; init; }

    /// <summary>The instant the answer is for.</summary>
    public required Instant AsOf { get; init; }

    /// <summary>When the decision was made.</summary>
    public required Instant DecidedAt { get; init; }

    /// <summary>Whether every criterion is met.</summary>
    public required bool Eligible { get; init; }

    /// <summary>Whether the resident consented to credit scoring at <see cref="AsOf"/>.</summary>
    public required bool Rated { get; init; }

    /// <summary>The tier, when rated.</summary>
    public string? Tier { get; init; }

    /// <summary>The score, when rated.</summary>
    public long? Score { get; init; }

    /// <summary>Volunteer stars held at <see cref="AsOf"/>.</summary>
    public int Stars { get; init; }

    /// <summary>The catalog version the policy came from.</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>That catalog's SHA-256.</summary>
    public required string PolicyHash { get; init; }

    /// <summary>Each criterion and whether it was met.</summary>
    public required IReadOnlyList<EligibilityReason> Reasons { get; init; }
}

using NodaTime;

namespace Incentives.Credit;

/// <summary>A resident's credit as of an instant (信用状况). An unrated resident (no consent) has no score or tier.</summary>
/// <param name="Rated">Whether the resident has consented to be scored at <paramref name="AsOf"/>.</param>
/// <param name="Score">The score, when rated.</param>
/// <param name="Tier">The tier code, when rated.</param>
/// <param name="AsOf">The instant the answer is for.</param>
/// <param name="KnownAt">Records recorded after this instant were not counted.</param>
/// <param name="CappedBy">The direct grading that capped the tier, if one did.</param>
public sealed record CreditStanding(bool Rated, long? Score, string? Tier, Instant AsOf, Instant KnownAt, long? CappedBy);

using NodaTime;

namespace Incentives.Credit;

/// <summary>A star a volunteer holds and the local date it was reached.</summary>
/// <param name="Level">1 to N.</param>
/// <param name="Hours">The hours it needs.</param>
/// <param name="ReachedOn">The local date of the service that reached it.</param>
public sealed record StarReached(int Level, decimal Hours, LocalDate ReachedOn);

/// <summary>A resident's volunteer hours and stars (星级志愿者) as of an instant.</summary>
/// <param name="Hours">Cumulative service hours counted.</param>
/// <param name="Stars">The star level, 0 for none.</param>
/// <param name="Reached">Each star held and when it was reached, lowest first.</param>
/// <param name="AsOf">The instant the answer is for.</param>
public sealed record VolunteerStanding(decimal Hours, int Stars, IReadOnlyList<StarReached> Reached, Instant AsOf);

/// <summary>Service hours of one award (or the cancellation of one, when its entry was reversed).</summary>
internal sealed record VolunteerHours(long Entry, decimal Hours, Instant OccurredAt, Instant RecordedAt, long? Cancels, LocalDate LocalDate);

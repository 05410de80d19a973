using NodaTime;

namespace Incentives.Ledger;

/// <summary>Whether a resident's account takes new records.</summary>
public enum ResidentStatus
{
    /// <summary>Takes awards and deductions.</summary>
    Active,

    /// <summary>Moved away or closed: refuses new records; history is kept.</summary>
    Inactive,
}

/// <summary>A resident (居民) of a community. Only what the feature needs: an opaque id and a display name.</summary>
/// <param name="Id">Opaque id.</param>
/// <param name="Community">The community the resident belongs to.</param>
/// <param name="DisplayName">The name staff see; public postings mask it.</param>
/// <param name="Status">Active or not.</param>
/// <param name="RegisteredAt">When the resident was registered.</param>
/// <param name="BirthYear">The year of birth, when known: the only age data kept, so that no deduction is recorded for
/// a child under 14.</param>
public sealed record Resident(ResidentId Id, CommunityId Community, string DisplayName, ResidentStatus Status, Instant RegisteredAt, int? BirthYear = null);

/// <summary>A community (社区) with its own time zone, which decides its days, months and years.</summary>
/// <param name="Id">Community id.</param>
/// <param name="Name">Display name.</param>
/// <param name="TimeZone">The zone its calendar follows (default Asia/Shanghai).</param>
public sealed record Community(CommunityId Id, string Name, DateTimeZone TimeZone);

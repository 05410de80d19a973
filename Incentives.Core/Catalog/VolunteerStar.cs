namespace Incentives.Catalog;

/// <summary>A volunteer star level (星级志愿者) and the cumulative service hours it needs.</summary>
/// <param name="Level">1 to N.</param>
/// <param name="Hours">Cumulative hours needed, inclusive.</param>
/// <param name="CertifiedBy">Who certifies it (county, city, province).</param>
public sealed record VolunteerStar(int Level, decimal Hours, string? CertifiedBy);

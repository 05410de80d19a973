using Incentives.Catalog;
using NodaTime;

namespace Incentives.Credit;

/// <summary>Checks one benefit policy against a resident's standing. Pure; each criterion becomes a reason, met or not.
/// A low tier only removes eligibility: it never triggers anything else (国办发〔2020〕49号).</summary>
internal static class EligibilityJudge
{
    public static (bool Eligible, List<EligibilityReason> Reasons) Judge(
        BenefitPolicy policy, CreditTierTable tiers, CreditStanding credit, VolunteerStanding stars, string community, LocalDate date)
    {
        var reasons = new List<EligibilityReason>();
        if (policy.MinTier is { } minTier)
        {
            if (!credit.Rated)
            {
                reasons.Add(new("rated", false, "unrated: no consent to credit scoring", "未授权信用评价, 不参与评级"));
            }
            else
            {
                var met = CreditCalculator.IndexOf(tiers, credit.Tier) <= CreditCalculator.IndexOf(tiers, minTier);
                reasons.Add(met
                    ? new("tier", true, $"tier {credit.Tier} meets {minTier}", $"信用等级 {credit.Tier} 达到 {minTier}")
                    : new("tier", false, $"tier {credit.Tier} is below {minTier}", $"信用等级 {credit.Tier} 低于 {minTier}"));
            }
        }

        if (policy.MinStars is { } minStars)
        {
            reasons.Add(stars.Stars >= minStars
                ? new("stars", true, $"{stars.Stars}★ meets {minStars}★", $"志愿星级 {stars.Stars}★ 达到 {minStars}★")
                : new("stars", false, $"{stars.Stars}★ is below {minStars}★", $"志愿星级 {stars.Stars}★ 低于 {minStars}★"));
        }

        if ((policy.ValidFrom is { } from && date < from) || (policy.ValidTo is { } to && date > to))
        {
            reasons.Add(new("period", false, $"the policy is not in force on {date:uuuu-MM-dd}", $"{date:uuuu-MM-dd} 该政策不在有效期内"));
        }

        if (policy.Communities.Count > 0 && !policy.Communities.Contains(community))
        {
            reasons.Add(new("community", false, $"the policy does not cover community '{community}'", $"该政策不适用于社区 '{community}'"));
        }

        return (reasons.TrueForAll(r => r.Met), reasons);
    }
}

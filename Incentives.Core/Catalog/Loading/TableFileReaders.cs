namespace Incentives.Catalog.Loading;

/// <summary>Readers of the three tables: credit tiers, volunteer stars and benefits.</summary>
internal static class TableFileReaders
{
    public static CreditTierTable? ReadTiers(string path, string display, DiagnosticBag d, bool required)
    {
        var r = RulesFile.Open(path, display, "credit-tiers.schema.json", d, required, "name", "base", "tiers");
        if (r is null)
        {
            return null;
        }

        var before = d.Count;
        var name = r.String("name", required: true);
        var baseScore = r.Integer("base", required: true);
        var tiers = new List<(CreditTier Tier, ObjectReader Reader)>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in RulesFile.Objects(r, r.Array("tiers", required: true), "'tiers'", "code", "nameZh", "nameEn", "min", "max"))
        {
            var code = t.String("code", required: true);
            var zh = t.String("nameZh", required: true);
            var en = t.String("nameEn", required: true);
            var min = t.Integer("min");
            var max = t.Integer("max");
            if (code is not null && !codes.Add(code))
            {
                t.Report(DiagnosticCodes.DuplicateTier, "code", $"duplicate tier code '{code}'");
            }

            if (min is not null && max is not null && min > max)
            {
                t.Report(DiagnosticCodes.TierBounds, "min", $"tier '{code}' has min ({min}) above max ({max})");
            }

            tiers.Add((new CreditTier(code ?? string.Empty, zh ?? string.Empty, en ?? string.Empty, (int?)min, (int?)max), t));
        }

        CheckCoverage(r, tiers);
        if (d.Count > before || name is null || baseScore is null || tiers.Count == 0)
        {
            return null;
        }

        return new CreditTierTable(name, (int)baseScore.Value, tiers.Select(t => t.Tier).ToList());
    }

    // Tiers run highest first and must cover every score exactly once: each tier's max is the next higher
    // tier's min minus one; only the highest may leave max open and only the lowest min.
    private static void CheckCoverage(ObjectReader r, List<(CreditTier Tier, ObjectReader Reader)> tiers)
    {
        if (r.Has("tiers") && tiers.Count == 0)
        {
            r.Report(DiagnosticCodes.TierBounds, "tiers", "the tier table needs at least one tier");
            return;
        }

        for (var k = 0; k < tiers.Count; k++)
        {
            var (tier, reader) = tiers[k];
            if (k > 0 && tier.Max is null)
            {
                reader.Report(DiagnosticCodes.TierBounds, "code", $"tier '{tier.Code}' needs a max: only the highest tier may leave it open");
            }

            if (k < tiers.Count - 1 && tier.Min is null)
            {
                reader.Report(DiagnosticCodes.TierBounds, "code", $"tier '{tier.Code}' needs a min: only the lowest tier may leave it open");
            }

            if (k == 0 && tier.Max is not null)
            {
                reader.Report(DiagnosticCodes.TierGap, "max", $"scores above {tier.Max} fall in no tier: leave max out of the highest tier '{tier.Code}'");
            }

            if (k == tiers.Count - 1 && tier.Min is not null)
            {
                reader.Report(DiagnosticCodes.TierGap, "min", $"scores below {tier.Min} fall in no tier: leave min out of the lowest tier '{tier.Code}'");
            }

            if (k == 0 || tier.Max is not { } max || tiers[k - 1].Tier.Min is not { } aboveMin)
            {
                continue;
            }

            var above = tiers[k - 1].Tier.Code;
            if (max >= aboveMin)
            {
                reader.Report(DiagnosticCodes.TierOverlap, "max", $"tier '{tier.Code}' (max {max}) overlaps tier '{above}' (min {aboveMin})");
            }
            else if (max < aboveMin - 1)
            {
                reader.Report(DiagnosticCodes.TierGap, "max", $"scores {max + 1}–{aboveMin - 1} fall in no tier between '{tier.Code}' and '{above}'");
            }
        }
    }

    public static IReadOnlyList<VolunteerStar>? ReadStars(string path, string display, DiagnosticBag d)
    {
        var r = RulesFile.Open(path, display, "volunteer-stars.schema.json", d, required: true, "stars");
        if (r is null)
        {
            return null;
        }

        var before = d.Count;
        var stars = new List<VolunteerStar>();
        foreach (var s in RulesFile.Objects(r, r.Array("stars", required: true), "'stars'", "level", "hours", "certifiedBy"))
        {
            var level = s.Integer("level", required: true);
            var hours = s.Number("hours", required: true);
            var by = s.String("certifiedBy");
            if (level is null || hours is null)
            {
                continue;
            }

            if (level != stars.Count + 1)
            {
                s.Report(DiagnosticCodes.StarLevelsNotConsecutive, "level", $"star levels must run 1, 2, 3…; expected {stars.Count + 1}, found {level}");
            }

            if (hours <= 0 || (stars.Count > 0 && hours <= stars[^1].Hours))
            {
                var previous = stars.Count > 0 ? stars[^1].Hours : 0m;
                s.Report(DiagnosticCodes.StarHoursNotIncreasing, "hours", $"star {level} needs more hours than the level before ({previous}), found {hours}");
            }

            stars.Add(new VolunteerStar((int)level.Value, hours.Value, by));
        }

        return d.Count > before ? null : stars;
    }

    /// <summary>Reads benefits.json; tier and star references are checked only against tables that loaded, so a broken
    /// table does not cascade into false errors here.</summary>
    public static IReadOnlyList<BenefitPolicy>? ReadBenefits(string path, string display, CreditTierTable? tiers, int? starLevels, DiagnosticBag d)
    {
        var r = RulesFile.Open(path, display, "benefits.schema.json", d, required: true, "benefits");
        if (r is null)
        {
            return null;
        }

        var before = d.Count;
        var benefits = new List<BenefitPolicy>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        string[] allowed = ["code", "nameZh", "nameEn", "minTier", "minStars", "amount", "unit", "validFrom", "validTo", "communities"];
        foreach (var b in RulesFile.Objects(r, r.Array("benefits", required: true), "'benefits'", allowed))
        {
            var code = b.String("code", required: true);
            var zh = b.String("nameZh", required: true);
            var en = b.String("nameEn", required: true);
            var minTier = b.String("minTier");
            var minStars = b.Integer("minStars");
            var amount = b.Number("amount");
            var unit = b.String("unit");
            var from = CatalogFileReader.ReadDate(b, "validFrom", false);
            var to = CatalogFileReader.ReadDate(b, "validTo", false);
            var communities = new List<string>();
            foreach (var c in b.Array("communities")?.Items ?? [])
            {
                if (c is JsonStringNode s)
                {
                    communities.Add(s.Value);
                }
                else
                {
                    d.Add(DiagnosticCodes.WrongType, display, c.Position, $"each community must be a string, found {c.KindName}");
                }
            }

            if (code is not null && !codes.Add(code))
            {
                b.Report(DiagnosticCodes.DuplicateBenefit, "code", $"duplicate benefit code '{code}'");
            }

            if (minTier is not null && tiers is not null && !tiers.Tiers.Any(t => t.Code == minTier))
            {
                var guess = Suggestions.Closest(minTier, tiers.Tiers.Select(t => t.Code));
                b.Report(DiagnosticCodes.BenefitUnknownTier, "minTier", $"benefit '{code}' names unknown tier '{minTier}'" + (guess is null ? string.Empty : $"; did you mean '{guess}'?"));
            }

            if (minStars is not null && starLevels is not null && (minStars < 1 || minStars > starLevels))
            {
                b.Report(DiagnosticCodes.BenefitUnknownStars, "minStars", $"benefit '{code}' needs {minStars} stars but the star table has levels 1–{starLevels}");
            }

            if (minTier is null && minStars is null)
            {
                b.Report(DiagnosticCodes.BenefitNoCriterion, "code", $"benefit '{code}' needs minTier, minStars or both");
            }

            if (from is not null && to is not null && to < from)
            {
                b.Report(DiagnosticCodes.BenefitPeriod, "validTo", $"benefit '{code}' ends ({to}) before it starts ({from})");
            }

            benefits.Add(new BenefitPolicy(code ?? string.Empty, zh ?? string.Empty, en ?? string.Empty, minTier,
                (int?)minStars, amount, unit, from, to, communities));
        }

        return d.Count > before ? null : benefits;
    }
}

using NodaTime;
using NodaTime.Text;

namespace Incentives.Catalog.Loading;

/// <summary>The settings and categories of <c>catalog.json</c>, as read (before the other files join them).</summary>
internal sealed record CatalogFile(
    string Version,
    LocalDate EffectiveFrom,
    Adoption? Adoption,
    DateTimeZone TimeZone,
    int RecordingWindowMonths,
    GlobalCaps GlobalCaps,
    int RepeatDeductionMultiplier,
    CreditValidity CreditValidity,
    PointsExpiry PointsExpiry,
    decimal MaxServiceHoursPerDay,
    string CreditTiersFile,
    IReadOnlyList<Category> Categories,
    GovernancePolicy? Governance);

internal static class CatalogFileReader
{
    /// <summary>Reads catalog.json. <paramref name="categories"/> gets every valid category even when other
    /// settings are wrong, so indicator files are checked against them instead of failing in cascade.</summary>
    public static CatalogFile? Read(string path, string display, DiagnosticBag d, out IReadOnlyList<Category> categories)
    {
        categories = [];
        var r = RulesFile.Open(path, display, "catalog.schema.json", d, required: true,
            "version", "effectiveFrom", "adoption", "timeZone", "recordingWindowMonths", "globalCaps", "repeatDeduction",
            "creditValidity", "pointsExpiry", "maxServiceHoursPerDay", "creditTiers", "categories", "governance");
        if (r is null)
        {
            return null;
        }

        var before = d.Count;
        var version = r.String("version", required: true);
        var effectiveFrom = ReadDate(r, "effectiveFrom", required: true);
        Adoption? adoption = null;
        if (r.Object("adoption", false, "date", "meeting", "vote") is { } a)
        {
            adoption = new Adoption(ReadDate(a, "date", false), a.String("meeting"), a.String("vote"));
        }

        var zoneId = r.String("timeZone", required: true);
        var zone = zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        if (zoneId is not null && zone is null)
        {
            var guess = Suggestions.Closest(zoneId, DateTimeZoneProviders.Tzdb.Ids);
            r.Report(DiagnosticCodes.UnknownTimeZone, "timeZone", $"unknown time zone '{zoneId}'" + (guess is null ? string.Empty : $"; did you mean '{guess}'?"));
        }

        var window = NonNegative(r, "recordingWindowMonths", 1);
        long? monthCap = null, yearCap = null;
        if (r.Object("globalCaps", false, "month", "year") is { } g)
        {
            monthCap = Positive(g, "month");
            yearCap = Positive(g, "year");
            if (monthCap is not null && yearCap is not null && monthCap > yearCap)
            {
                g.Report(DiagnosticCodes.CapsOutOfOrder, "month", $"globalCaps.month ({monthCap}) exceeds globalCaps.year ({yearCap})");
            }
        }

        var multiplier = 2;
        if (r.Object("repeatDeduction", false, "multiplier") is { } rep)
        {
            multiplier = (int)(Positive(rep, "multiplier") ?? 2);
        }

        var validity = new CreditValidity(40, 1, 2, 1);
        if (r.Object("creditValidity", false, "smallDeductionMaxAbs", "smallDeductionYears", "largeDeductionYears", "additionYears") is { } v)
        {
            validity = new CreditValidity(
                NonNegative(v, "smallDeductionMaxAbs", 40),
                (int)(Positive(v, "smallDeductionYears") ?? 1),
                (int)(Positive(v, "largeDeductionYears") ?? 2),
                (int)(Positive(v, "additionYears") ?? 1));
        }

        var expiry = PointsExpiry.Default;
        if (r.Object("pointsExpiry", false, "rule", "months") is { } e)
        {
            var rule = e.String("rule", required: true);
            var months = e.Integer("months");
            switch (rule)
            {
                case "endOfNextYear":
                    break;
                case "never":
                    expiry = new PointsExpiry(PointsExpiryRule.Never, 0);
                    break;
                case "monthsAfterAward" when months is >= 1 and <= 120:
                    expiry = new PointsExpiry(PointsExpiryRule.MonthsAfterAward, (int)months.Value);
                    break;
                case "monthsAfterAward":
                    e.Report(DiagnosticCodes.OutOfRange, "months", "'monthsAfterAward' needs 'months' between 1 and 120");
                    break;
                case not null:
                    e.Report(DiagnosticCodes.OutOfRange, "rule", $"unknown points expiry rule '{rule}'; use endOfNextYear, never or monthsAfterAward");
                    break;
                default:
                    break;
            }
        }

        var maxHours = r.Number("maxServiceHoursPerDay") ?? CatalogSnapshot.DefaultMaxServiceHoursPerDay;
        if (maxHours is <= 0 or > 24)
        {
            r.Report(DiagnosticCodes.OutOfRange, "maxServiceHoursPerDay", $"'maxServiceHoursPerDay' must be more than 0 and at most 24, found {maxHours}");
        }

        var governance = GovernanceReader.ReadPolicy(r);
        var tiersFile = r.String("creditTiers") ?? "credit-tiers.json";
        var read = new List<Category>();
        categories = read;
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in RulesFile.Objects(r, r.Array("categories", required: true), "'categories'", "code", "nameZh", "nameEn"))
        {
            var code = c.String("code", required: true);
            var zh = c.String("nameZh", required: true);
            var en = c.String("nameEn", required: true);
            if (code is null)
            {
                continue;
            }

            if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
            {
                c.Report(DiagnosticCodes.BadIndicatorCode, "code", $"category code '{code}' must be three capital letters");
            }
            else if (!codes.Add(code))
            {
                c.Report(DiagnosticCodes.DuplicateCategory, "code", $"duplicate category code '{code}'");
            }
            else
            {
                read.Add(new Category(code, zh ?? string.Empty, en ?? string.Empty));
            }
        }

        if (d.Count > before || version is null || effectiveFrom is null || zone is null)
        {
            return null;
        }

        return new CatalogFile(version, effectiveFrom.Value, adoption, zone, window, new GlobalCaps(monthCap, yearCap),
            multiplier, validity, expiry, maxHours, tiersFile, read, governance);
    }

    public static LocalDate? ReadDate(ObjectReader r, string name, bool required)
    {
        var text = r.String(name, required);
        if (text is null)
        {
            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(text);
        if (!parsed.Success)
        {
            r.Report(DiagnosticCodes.BadDate, name, $"'{name}' must be a date like 2026-01-01, found '{text}'");
            return null;
        }

        return parsed.Value;
    }

    public static long? Positive(ObjectReader r, string name)
    {
        var value = r.Integer(name);
        if (value is <= 0)
        {
            r.Report(DiagnosticCodes.OutOfRange, name, $"'{name}' must be at least 1, found {value}");
            return null;
        }

        return value;
    }

    private static int NonNegative(ObjectReader r, string name, int fallback)
    {
        var value = r.Integer(name);
        if (value is < 0)
        {
            r.Report(DiagnosticCodes.OutOfRange, name, $"'{name}' must not be negative, found {value}");
            return fallback;
        }

        return (int)(value ?? fallback);
    }
}

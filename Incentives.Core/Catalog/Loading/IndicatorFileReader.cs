namespace Incentives.Catalog.Loading;

/// <summary>Reads one <c>indicators/&lt;category&gt;.json</c> file and checks each indicator against the catalog.</summary>
internal static class IndicatorFileReader
{
    private static readonly string[] CapNames = ["day", "month", "year", "lifetime"];

    public static void Read(string path, string display, IReadOnlyCollection<Category> categories,
        Dictionary<IndicatorCode, Indicator> into, DiagnosticBag d)
    {
        var r = RulesFile.Open(path, display, "indicators.schema.json", d, required: true, "category", "indicators");
        if (r is null)
        {
            return;
        }

        var category = r.String("category", required: true);
        if (category is not null && !categories.Any(c => c.Code == category))
        {
            var guess = Suggestions.Closest(category, categories.Select(c => c.Code));
            r.Report(DiagnosticCodes.UnknownCategory, "category",
                $"category '{category}' is not declared in catalog.json" + (guess is null ? string.Empty : $"; did you mean '{guess}'?"));
        }

        var allowed = new[] { "code", "nameZh", "nameEn", "points", "unit", "maxQuantity", "caps", "evidence", "creditDelta", "active", "repeatWindowMonths", "warningFirst", "approval", "posting", "postingDays" };
        foreach (var i in RulesFile.Objects(r, r.Array("indicators", required: true), "'indicators'", allowed))
        {
            var indicator = ReadIndicator(i, category);
            if (indicator is null)
            {
                continue;
            }

            if (!into.TryAdd(indicator.Code, indicator))
            {
                i.Report(DiagnosticCodes.DuplicateIndicator, "code", $"duplicate indicator code '{indicator.Code}'");
            }
        }
    }

    private static Indicator? ReadIndicator(ObjectReader i, string? category)
    {
        var before = i.Diagnostics.Count;
        var codeText = i.String("code", required: true);
        var nameZh = i.String("nameZh", required: true);
        var nameEn = i.String("nameEn", required: true);
        var points = i.Integer("points", required: true);
        var unitText = i.String("unit", required: true);
        var evidenceText = i.String("evidence", required: true);
        var creditDelta = i.Integer("creditDelta");
        var active = i.Bool("active") ?? true;
        var repeatWindow = i.Integer("repeatWindowMonths");
        var warningFirst = i.Bool("warningFirst") ?? false;
        var approval = GovernanceReader.ReadRule(i, "approval");
        var posting = GovernanceReader.ReadRule(i, "posting");
        int? postingDays = i.Has("postingDays") ? GovernanceReader.Days(i, "postingDays", 3, 1, 30) : null;

        IndicatorCode code = default;
        if (codeText is not null)
        {
            if (!IndicatorCode.TryParse(codeText, out code))
            {
                i.Report(DiagnosticCodes.BadIndicatorCode, "code", $"indicator code '{codeText}' must be three capital letters, '-', two digits (e.g. VOL-01)");
            }
            else if (category is not null && code.Category != category)
            {
                i.Report(DiagnosticCodes.IndicatorOutsideCategory, "code", $"indicator '{codeText}' does not belong to category '{category}' of this file");
            }
        }

        var label = codeText ?? "?";
        if (points == 0)
        {
            i.Report(DiagnosticCodes.ZeroPoints, "points", $"points of '{label}' must not be 0");
        }

        IndicatorUnit unit = default;
        if (unitText is not null && !TryParseEnum(unitText, out unit))
        {
            var guess = Suggestions.Closest(unitText, Enum.GetNames<IndicatorUnit>().Select(n => n.ToLowerInvariant()));
            i.Report(DiagnosticCodes.UnknownUnit, "unit", $"unknown unit '{unitText}' for '{label}'" + (guess is null ? string.Empty : $"; did you mean '{guess}'?"));
        }

        EvidenceLevel evidence = default;
        if (evidenceText is not null && !(evidenceText is "E1" or "E2" or "E3" or "E4" && Enum.TryParse(evidenceText, out evidence)))
        {
            i.Report(DiagnosticCodes.UnknownEvidence, "evidence", $"evidence level '{evidenceText}' for '{label}' must be one of E1, E2, E3, E4");
        }

        var maxQuantity = i.Number("maxQuantity");
        if (maxQuantity is <= 0)
        {
            i.Report(DiagnosticCodes.OutOfRange, "maxQuantity", $"maxQuantity of '{label}' must be greater than 0");
        }
        else if (maxQuantity is not null && unit != IndicatorUnit.Hour && maxQuantity != decimal.Truncate(maxQuantity.Value))
        {
            i.Report(DiagnosticCodes.FractionalQuantity, "maxQuantity", $"maxQuantity of '{label}' must be whole: only 'hour' allows fractions");
        }

        if (repeatWindow is not null && (repeatWindow is < 1 or > 120 || points > 0))
        {
            i.Report(DiagnosticCodes.OutOfRange, "repeatWindowMonths",
                points > 0 ? $"repeatWindowMonths applies only to deductions, and '{label}' awards points" : $"repeatWindowMonths of '{label}' must be 1–120, found {repeatWindow}");
        }

        if (warningFirst && points > 0)
        {
            i.Report(DiagnosticCodes.OutOfRange, "warningFirst", $"warningFirst applies only to deductions, and '{label}' awards points");
        }

        var caps = ReadCaps(i, points, label);
        if (i.Diagnostics.Count > before || points is null || nameZh is null || nameEn is null)
        {
            return null;
        }

        var defaultMax = unit == IndicatorUnit.Hour ? 24m : 1m;
        return new Indicator(code, code.Category, nameZh, nameEn, points.Value, unit, maxQuantity ?? defaultMax, caps,
            evidence, creditDelta is null ? null : (int)creditDelta.Value, active, repeatWindow is null ? null : (int)repeatWindow.Value, warningFirst,
            approval, posting, postingDays);
    }

    private static Caps ReadCaps(ObjectReader i, long? points, string label)
    {
        if (i.Object("caps", false, CapNames) is not { } c)
        {
            return Caps.None;
        }

        var values = new long?[CapNames.Length];
        for (var k = 0; k < CapNames.Length; k++)
        {
            values[k] = c.Integer(CapNames[k]);
            if (values[k] is { } v && points is { } p && p != 0 && (v == 0 || Math.Sign(v) != Math.Sign(p)))
            {
                c.Report(DiagnosticCodes.CapSign, CapNames[k],
                    $"caps.{CapNames[k]} ({v}) must have the sign of points ({p}) for '{label}'");
                values[k] = null;
            }
        }

        // Each cap must not exceed the next longer one in magnitude: day ≤ month ≤ year ≤ lifetime.
        for (var k = 0; k < CapNames.Length; k++)
        {
            for (var m = k + 1; m < CapNames.Length; m++)
            {
                if (values[k] is { } shorter && values[m] is { } longer)
                {
                    if (Math.Abs(shorter) > Math.Abs(longer))
                    {
                        c.Report(DiagnosticCodes.CapsOutOfOrder, CapNames[k],
                            $"caps.{CapNames[k]} ({shorter}) exceeds caps.{CapNames[m]} ({longer}) for '{label}'");
                    }

                    break;
                }
            }
        }

        return new Caps(values[0], values[1], values[2], values[3]);
    }

    private static bool TryParseEnum(string text, out IndicatorUnit unit)
    {
        // Only the exact lower-case names of the closed vocabulary are accepted.
        foreach (var u in Enum.GetValues<IndicatorUnit>())
        {
            if (string.Equals(u.ToString(), text, StringComparison.OrdinalIgnoreCase) && text.All(char.IsAsciiLetterLower))
            {
                unit = u;
                return true;
            }
        }

        unit = default;
        return false;
    }
}

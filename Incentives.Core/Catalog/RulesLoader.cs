using Incentives.Catalog.Loading;

namespace Incentives.Catalog;

/// <summary>
/// Loads a rules folder (<c>catalog.json</c>, <c>indicators/*.json</c>, the credit-tier file named by the catalog,
/// <c>volunteer-stars.json</c>, <c>benefits.json</c>) strictly: unknown properties, duplicate keys and wrong types
/// are errors, and every problem across every file is collected before returning. Tier presets under
/// <c>presets/</c> are validated too, though only the one the catalog names is used.
/// </summary>
public static class RulesLoader
{
    /// <summary>Loads and validates the folder.</summary>
    /// <param name="directory">The rules folder; diagnostics name files under it as given here.</param>
    /// <returns>The snapshot, or the diagnostics that prevent it. Never throws for bad content.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public static RulesLoadResult Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var d = new DiagnosticBag();
        string Display(string relative) => Path.Combine(directory, relative).Replace('\\', '/');
        string Full(string relative) => Path.Combine(directory, relative);

        if (!Directory.Exists(directory))
        {
            d.Add(DiagnosticCodes.MissingFile, directory.Replace('\\', '/'), new TextPosition(1, 1), $"rules folder '{directory}' does not exist");
            return new RulesLoadResult(null, d.Items);
        }

        var catalog = CatalogFileReader.Read(Full("catalog.json"), Display("catalog.json"), d, out var categories);

        var indicators = new Dictionary<IndicatorCode, Indicator>();
        var indicatorDir = Full("indicators");
        var indicatorFiles = Directory.Exists(indicatorDir)
            ? Directory.GetFiles(indicatorDir, "*.json").Order(StringComparer.Ordinal).ToArray()
            : [];
        if (indicatorFiles.Length == 0)
        {
            d.Add(DiagnosticCodes.MissingFile, Display("indicators"), new TextPosition(1, 1), "no indicator files found under 'indicators/'");
        }

        foreach (var file in indicatorFiles)
        {
            IndicatorFileReader.Read(file, Display(Path.Combine("indicators", Path.GetFileName(file))), categories, indicators, d);
        }

        var tiersFile = catalog?.CreditTiersFile ?? "credit-tiers.json";
        var tiers = TableFileReaders.ReadTiers(Full(tiersFile), Display(tiersFile), d, required: true);
        var presets = Full("presets");
        if (Directory.Exists(presets))
        {
            foreach (var preset in Directory.GetFiles(presets, "credit-tiers*.json").Order(StringComparer.Ordinal))
            {
                var relative = Path.Combine("presets", Path.GetFileName(preset));
                if (Path.GetFullPath(preset) != Path.GetFullPath(Full(tiersFile)))
                {
                    TableFileReaders.ReadTiers(preset, Display(relative), d, required: true);
                }
            }
        }

        var stars = TableFileReaders.ReadStars(Full("volunteer-stars.json"), Display("volunteer-stars.json"), d);
        var benefits = TableFileReaders.ReadBenefits(Full("benefits.json"), Display("benefits.json"), tiers, stars?.Count, d);

        if (d.Count > 0 || catalog is null || tiers is null || stars is null || benefits is null)
        {
            return new RulesLoadResult(null, d.Items);
        }

        var snapshot = new CatalogSnapshot(catalog.Version, catalog.EffectiveFrom, catalog.Adoption, catalog.TimeZone,
            catalog.RecordingWindowMonths, catalog.GlobalCaps, catalog.RepeatDeductionMultiplier, catalog.CreditValidity, catalog.PointsExpiry,
            catalog.Categories, indicators.Values.OrderBy(i => i.Code.Value, StringComparer.Ordinal).ToList(), tiers, stars, benefits,
            catalog.MaxServiceHoursPerDay, catalog.Governance);
        return new RulesLoadResult(CanonicalForm.Seal(snapshot), d.Items);
    }
}

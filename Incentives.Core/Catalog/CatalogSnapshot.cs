using System.Text.Json.Serialization;
using NodaTime;

namespace Incentives.Catalog;

/// <summary>
/// One loaded, validated version of the rules: catalog settings, categories, indicators and the credit, star and
/// benefit tables. Identified by <see cref="Version"/> and by <see cref="Hash"/>, the SHA-256 of its canonical
/// content, so every past decision can name exactly the rules it was made under. Immutable and thread-safe.
/// </summary>
public sealed class CatalogSnapshot
{
    private readonly Dictionary<IndicatorCode, Indicator> _byCode;

    [JsonConstructor]
    internal CatalogSnapshot(
        string version,
        LocalDate effectiveFrom,
        Adoption? adoption,
        DateTimeZone timeZone,
        int recordingWindowMonths,
        GlobalCaps globalCaps,
        int repeatDeductionMultiplier,
        CreditValidity creditValidity,
        PointsExpiry pointsExpiry,
        IReadOnlyList<Category> categories,
        IReadOnlyList<Indicator> indicators,
        CreditTierTable creditTiers,
        IReadOnlyList<VolunteerStar> volunteerStars,
        IReadOnlyList<BenefitPolicy> benefits,
        decimal maxServiceHoursPerDay = 0,
        GovernancePolicy? governance = null)
    {
        Version = version;
        EffectiveFrom = effectiveFrom;
        Adoption = adoption;
        TimeZone = timeZone;
        RecordingWindowMonths = recordingWindowMonths;
        GlobalCaps = globalCaps;
        RepeatDeductionMultiplier = repeatDeductionMultiplier;
        CreditValidity = creditValidity;
        PointsExpiry = pointsExpiry;
        Categories = categories;
        Indicators = indicators;
        CreditTiers = creditTiers;
        VolunteerStars = volunteerStars;
        Benefits = benefits;
        // Catalogs stored before the setting existed carry none (0): they get the default.
        MaxServiceHoursPerDay = maxServiceHoursPerDay > 0 ? maxServiceHoursPerDay : DefaultMaxServiceHoursPerDay;
        Governance = governance;
        _byCode = indicators.ToDictionary(i => i.Code);
    }

    /// <summary>The operator's version label, e.g. <c>2026.1</c>.</summary>
    public string Version { get; }

    /// <summary>The first local date this version applies to; records are scored by the version in force on their own date.</summary>
    public LocalDate EffectiveFrom { get; }

    /// <summary>Who adopted this version and how, if recorded.</summary>
    public Adoption? Adoption { get; }

    /// <summary>The default time zone of communities that name none (default <c>Asia/Shanghai</c>).</summary>
    public DateTimeZone TimeZone { get; }

    /// <summary>How many months after the event a record may still be entered.</summary>
    public int RecordingWindowMonths { get; }

    /// <summary>Limits on positive points across all indicators.</summary>
    public GlobalCaps GlobalCaps { get; }

    /// <summary>The factor applied to a deduction repeated within its validity window (default 2).</summary>
    public int RepeatDeductionMultiplier { get; }

    /// <summary>Validity of credit records.</summary>
    public CreditValidity CreditValidity { get; }

    /// <summary>How long awarded points stay spendable.</summary>
    public PointsExpiry PointsExpiry { get; }

    /// <summary>The categories, in file order.</summary>
    public IReadOnlyList<Category> Categories { get; }

    /// <summary>All indicators, ordered by code.</summary>
    public IReadOnlyList<Indicator> Indicators { get; }

    /// <summary>The credit grade table in force.</summary>
    public CreditTierTable CreditTiers { get; }

    /// <summary>Volunteer star levels, lowest first.</summary>
    public IReadOnlyList<VolunteerStar> VolunteerStars { get; }

    /// <summary>The default of <see cref="MaxServiceHoursPerDay"/>; also what catalogs stored before the setting existed get.</summary>
    public const decimal DefaultMaxServiceHoursPerDay = 12m;

    /// <summary>The most volunteer service hours (hour-unit volunteering indicators, together) one resident may be
    /// credited with on one local day (default 12); a record beyond it is refused.</summary>
    public decimal MaxServiceHoursPerDay { get; }

    /// <summary>The governance loop (审核, 公示, 复核), as declared; null when the catalog declares none (every record
    /// counts at once). Null stays out of the canonical form, so catalogs from before the loop keep their hash.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GovernancePolicy? Governance { get; }

    /// <summary>The loop in force: <see cref="Governance"/>, or <see cref="GovernancePolicy.None"/>.</summary>
    [JsonIgnore]
    public GovernancePolicy Loop => Governance ?? GovernancePolicy.None;

    /// <summary>Benefit policies.</summary>
    public IReadOnlyList<BenefitPolicy> Benefits { get; }

    /// <summary>The lower-case hex SHA-256 of the canonical content; set when the snapshot is built.</summary>
    [JsonIgnore]
    public string Hash { get; internal set; } = string.Empty;

    /// <summary>Finds an indicator by code.</summary>
    /// <param name="code">The indicator code.</param>
    /// <returns>The indicator, or null when the catalog has none with that code.</returns>
    public Indicator? FindIndicator(IndicatorCode code) => _byCode.GetValueOrDefault(code);
}

namespace Incentives.Catalog.Loading;

/// <summary>The stable diagnostic codes. IR0xx: file and JSON shape; IR1xx: catalog and indicators;
/// IR2xx: catalog settings; IR3xx: credit tiers; IR4xx: volunteer stars; IR5xx: benefits.</summary>
internal static class DiagnosticCodes
{
    public const string Syntax = "IR001";
    public const string UnknownProperty = "IR002";
    public const string DuplicateKey = "IR003";
    public const string WrongType = "IR004";
    public const string MissingProperty = "IR005";
    public const string MissingFile = "IR006";
    public const string SchemaMismatch = "IR007";
    public const string OutOfRange = "IR008";

    public const string DuplicateIndicator = "IR101";
    public const string BadIndicatorCode = "IR102";
    public const string UnknownCategory = "IR103";
    public const string CapsOutOfOrder = "IR104";
    public const string CapSign = "IR105";
    public const string UnknownUnit = "IR106";
    public const string UnknownEvidence = "IR107";
    public const string ZeroPoints = "IR108";
    public const string DuplicateCategory = "IR109";
    public const string IndicatorOutsideCategory = "IR110";
    public const string FractionalQuantity = "IR111";

    public const string UnknownTimeZone = "IR201";
    public const string BadDate = "IR202";

    public const string TierOverlap = "IR301";
    public const string TierGap = "IR302";
    public const string DuplicateTier = "IR303";
    public const string TierBounds = "IR304";

    public const string StarHoursNotIncreasing = "IR401";
    public const string StarLevelsNotConsecutive = "IR402";

    public const string DuplicateBenefit = "IR501";
    public const string BenefitUnknownTier = "IR502";
    public const string BenefitNoCriterion = "IR503";
    public const string BenefitUnknownStars = "IR504";
    public const string BenefitPeriod = "IR505";
}

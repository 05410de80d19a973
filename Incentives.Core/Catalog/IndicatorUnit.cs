namespace Incentives.Catalog;

/// <summary>What one unit of an indicator's quantity is (计量单位). Only <see cref="Hour"/> allows fractions.</summary>
public enum IndicatorUnit
{
    /// <summary>Service hours; fractional quantities allowed (e.g. 2.5).</summary>
    Hour,

    /// <summary>One event or occurrence.</summary>
    Event,

    /// <summary>One calendar month of a duty or a monthly check.</summary>
    Month,

    /// <summary>One spot check.</summary>
    Check,

    /// <summary>One title or award.</summary>
    Award,

    /// <summary>One project led.</summary>
    Project,

    /// <summary>One volunteer star.</summary>
    Star,

    /// <summary>One donation.</summary>
    Donation,

    /// <summary>One meeting attended.</summary>
    Meeting,

    /// <summary>One proposal adopted.</summary>
    Adoption,

    /// <summary>One case handled.</summary>
    Case,

    /// <summary>One verified report.</summary>
    Report,

    /// <summary>One official determination.</summary>
    Determination,

    /// <summary>One verified tip.</summary>
    Tip,

    /// <summary>One training session.</summary>
    Session,
}

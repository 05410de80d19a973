namespace Incentives.Catalog;

/// <summary>The language of rendered text: Chinese (the default) or English.</summary>
public enum Language
{
    /// <summary>简体中文.</summary>
    Zh,

    /// <summary>English.</summary>
    En,
}

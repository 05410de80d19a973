namespace Incentives.Catalog;

/// <summary>How much proof an indicator needs (证明材料等级).</summary>
public enum EvidenceLevel
{
    /// <summary>A check-in record.</summary>
    E1 = 1,

    /// <summary>E1 plus photo or location and a grid worker's confirmation.</summary>
    E2 = 2,

    /// <summary>E2 plus committee review and public posting (公示).</summary>
    E3 = 3,

    /// <summary>An official document.</summary>
    E4 = 4,
}

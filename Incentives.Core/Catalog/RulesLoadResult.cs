namespace Incentives.Catalog;

/// <summary>The outcome of loading a rules folder: a snapshot when there were no errors, and every diagnostic.</summary>
/// <param name="Snapshot">The validated snapshot; null when <paramref name="Diagnostics"/> is not empty.</param>
/// <param name="Diagnostics">Every problem found, in file order.</param>
public sealed record RulesLoadResult(CatalogSnapshot? Snapshot, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Whether the folder loaded with no diagnostics.</summary>
    public bool Succeeded => Snapshot is not null && Diagnostics.Count == 0;
}

using System.Collections.Immutable;
using NodaTime;

namespace Incentives.Catalog;

/// <summary>
/// Every catalog version the store has seen, so a back-dated record is scored by the version in force on its own
/// local date. Written only by the writer thread; readers see an immutable list swapped atomically.
/// </summary>
internal sealed class CatalogHistory
{
    private ImmutableList<CatalogSnapshot> _versions = [];

    public CatalogSnapshot? Latest => _versions.IsEmpty ? null : _versions[^1];

    public IReadOnlyList<CatalogSnapshot> Versions => _versions;

    public CatalogSnapshot? FindByHash(string hash) => _versions.Find(v => v.Hash == hash);

    /// <summary>Adds a version in registration order; a later registration wins over an earlier one with the same start
    /// date. Registering a known version again moves it to the end, so going back to earlier rules works.</summary>
    public void Add(CatalogSnapshot snapshot) =>
        _versions = _versions.RemoveAll(v => v.Hash == snapshot.Hash).Add(snapshot);

    /// <summary>The version in force on <paramref name="date"/>: the latest start on or before it, the later registration on a tie.</summary>
    public CatalogSnapshot? InForce(LocalDate date)
    {
        CatalogSnapshot? best = null;
        foreach (var v in _versions)
        {
            if (v.EffectiveFrom <= date && (best is null || v.EffectiveFrom >= best.EffectiveFrom))
            {
                best = v;
            }
        }

        return best;
    }
}

namespace Incentives.Storage;

/// <summary>Helpers over <see cref="IDocumentTable{TDoc,TKey}"/>.</summary>
internal static class DocumentTables
{
    /// <summary>A document that must exist (an account of a known resident, an item of a held reservation): its absence
    /// is a broken invariant, not an outcome.</summary>
    public static TDoc Require<TDoc, TKey>(this IDocumentTable<TDoc, TKey> table, TKey id)
        where TDoc : class =>
        table.FindById(id) ?? throw new InvalidDataException($"{typeof(TDoc).Name} {id} is missing from the store");
}

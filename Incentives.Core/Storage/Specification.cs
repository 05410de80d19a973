using System.Linq.Expressions;

namespace Incentives.Storage;

/// <summary>
/// A query as a value (after Ardalis.Specification): criteria, an order and paging, evaluated by the store so the
/// filtering runs on its indexes. Subclasses state one query each, e.g. <see cref="StatementSpecification"/>.
/// </summary>
/// <typeparam name="T">The stored document type.</typeparam>
internal abstract class Specification<T>
{
    private readonly List<Expression<Func<T, bool>>> _criteria = [];

    public IReadOnlyList<Expression<Func<T, bool>>> Criteria => _criteria;

    public Expression<Func<T, long>>? OrderBy { get; private set; }

    public bool Descending { get; private set; }

    public int Skip { get; private set; }

    public int? Take { get; private set; }

    protected void Where(Expression<Func<T, bool>> criterion) => _criteria.Add(criterion);

    protected void Order(Expression<Func<T, long>> key, bool descending)
    {
        OrderBy = key;
        Descending = descending;
    }

    protected void Paging(int skip, int take)
    {
        Skip = skip;
        Take = take;
    }
}

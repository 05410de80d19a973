namespace Incentives.Catalog.Loading;

/// <summary>Collects every problem of a load; nothing stops at the first one.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public int Count => _items.Count;

    public void Add(string code, string file, TextPosition at, string message) =>
        _items.Add(new Diagnostic(code, file, at.Line, at.Column, message));
}

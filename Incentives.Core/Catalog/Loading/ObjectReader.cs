namespace Incentives.Catalog.Loading;

/// <summary>
/// Reads one JSON object strictly: unknown properties are reported with a "did you mean", required ones that are
/// missing and values of the wrong type are reported at their position. Getters return null after reporting, so
/// callers go on and collect every problem.
/// </summary>
internal sealed class ObjectReader
{
    private readonly JsonObjectNode _node;
    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly string _context;

    public ObjectReader(JsonObjectNode node, string file, DiagnosticBag diagnostics, string context, params string[] allowed)
    {
        _node = node;
        _file = file;
        _diagnostics = diagnostics;
        _context = context;
        foreach (var p in node.Properties)
        {
            if (System.Array.IndexOf(allowed, p.Name) < 0)
            {
                var guess = Suggestions.Closest(p.Name, allowed);
                var hint = guess is null ? $"; allowed: {string.Join(", ", allowed)}" : $"; did you mean '{guess}'?";
                diagnostics.Add(DiagnosticCodes.UnknownProperty, file, p.NamePosition, $"unknown property '{p.Name}' in {context}{hint}");
            }
        }
    }

    public TextPosition Position => _node.Position;

    public string File => _file;

    public DiagnosticBag Diagnostics => _diagnostics;

    /// <summary>The position of a property's value, or of the object when it is absent.</summary>
    public TextPosition PositionOf(string name) => _node.Find(name)?.Value.Position ?? _node.Position;

    public bool Has(string name) => _node.Find(name) is not null;

    /// <summary>The raw value of a property (for values of more than one shape), or null when absent.</summary>
    public JsonNode? Node(string name) => _node.Find(name)?.Value;

    public void Report(string code, string name, string message) => _diagnostics.Add(code, _file, PositionOf(name), message);

    public string? String(string name, bool required = false) =>
        Get<JsonStringNode>(name, required, "a string")?.Value;

    public decimal? Number(string name, bool required = false)
    {
        var n = Get<JsonNumberNode>(name, required, "a number");
        if (n is not null && n.Value is null)
        {
            Report(DiagnosticCodes.OutOfRange, name, $"'{name}' ({n.Raw}) is out of range");
        }

        return n?.Value;
    }

    public long? Integer(string name, bool required = false)
    {
        var n = Get<JsonNumberNode>(name, required, "an integer");
        if (n?.Value is not decimal d)
        {
            return null;
        }

        if (d != decimal.Truncate(d) || d > int.MaxValue || d < int.MinValue)
        {
            Report(DiagnosticCodes.WrongType, name, $"'{name}' must be a whole number between {int.MinValue} and {int.MaxValue}, found {n.Raw}");
            return null;
        }

        return (long)d;
    }

    public bool? Bool(string name) => Get<JsonBoolNode>(name, false, "true or false")?.Value;

    public ObjectReader? Object(string name, bool required, params string[] allowed)
    {
        var o = Get<JsonObjectNode>(name, required, "an object");
        return o is null ? null : new ObjectReader(o, _file, _diagnostics, $"'{name}'", allowed);
    }

    public JsonArrayNode? Array(string name, bool required = false) => Get<JsonArrayNode>(name, required, "an array");

    private T? Get<T>(string name, bool required, string expected)
        where T : JsonNode
    {
        var p = _node.Find(name);
        if (p is null)
        {
            if (required)
            {
                _diagnostics.Add(DiagnosticCodes.MissingProperty, _file, _node.Position, $"missing required property '{name}' in {_context}");
            }

            return null;
        }

        if (p.Value is T typed)
        {
            return typed;
        }

        _diagnostics.Add(DiagnosticCodes.WrongType, _file, p.Value.Position, $"'{name}' must be {expected}, found {p.Value.KindName}");
        return null;
    }
}

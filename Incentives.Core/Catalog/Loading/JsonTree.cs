namespace Incentives.Catalog.Loading;

/// <summary>A 1-based position in a text file.</summary>
internal readonly record struct TextPosition(int Line, int Column);

/// <summary>A JSON value with the position of its first character, so diagnostics can point at it.</summary>
internal abstract record JsonNode(TextPosition Position)
{
    public abstract string KindName { get; }
}

internal sealed record JsonProperty(string Name, TextPosition NamePosition, JsonNode Value);

internal sealed record JsonObjectNode(TextPosition Position, IReadOnlyList<JsonProperty> Properties) : JsonNode(Position)
{
    public override string KindName => "an object";

    public JsonProperty? Find(string name)
    {
        foreach (var p in Properties)
        {
            if (p.Name == name)
            {
                return p;
            }
        }

        return null;
    }
}

internal sealed record JsonArrayNode(TextPosition Position, IReadOnlyList<JsonNode> Items) : JsonNode(Position)
{
    public override string KindName => "an array";
}

internal sealed record JsonStringNode(TextPosition Position, string Value) : JsonNode(Position)
{
    public override string KindName => "a string";
}

/// <summary>A number kept as written; <see cref="Value"/> is null when it does not fit a decimal.</summary>
internal sealed record JsonNumberNode(TextPosition Position, decimal? Value, string Raw) : JsonNode(Position)
{
    public override string KindName => "a number";
}

internal sealed record JsonBoolNode(TextPosition Position, bool Value) : JsonNode(Position)
{
    public override string KindName => "a boolean";
}

internal sealed record JsonNullNode(TextPosition Position) : JsonNode(Position)
{
    public override string KindName => "null";
}

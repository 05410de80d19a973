namespace Incentives.Catalog.Loading;

/// <summary>Opens one rules file: checks it exists, parses it, checks the root is an object with the right <c>$schema</c>.</summary>
internal static class RulesFile
{
    public static ObjectReader? Open(string path, string displayPath, string schemaName, DiagnosticBag diagnostics, bool required, params string[] allowed)
    {
        if (!System.IO.File.Exists(path))
        {
            if (required)
            {
                diagnostics.Add(DiagnosticCodes.MissingFile, displayPath, new TextPosition(1, 1), $"required rules file '{displayPath}' does not exist");
            }

            return null;
        }

        var root = JsonTreeParser.Parse(System.IO.File.ReadAllBytes(path), displayPath, diagnostics);
        if (root is null)
        {
            return null;
        }

        if (root is not JsonObjectNode obj)
        {
            diagnostics.Add(DiagnosticCodes.WrongType, displayPath, root.Position, $"the document must be an object, found {root.KindName}");
            return null;
        }

        var reader = new ObjectReader(obj, displayPath, diagnostics, "the document", ["$schema", .. allowed]);
        var schema = reader.String("$schema", required: true);
        if (schema is not null && !schema.Replace('\\', '/').EndsWith("/" + schemaName, StringComparison.Ordinal) && schema != schemaName)
        {
            reader.Report(DiagnosticCodes.SchemaMismatch, "$schema", $"'$schema' must name '{schemaName}', found '{schema}'");
        }

        return reader;
    }

    /// <summary>Each element of an array that is an object, read strictly; other elements are reported.</summary>
    public static IEnumerable<ObjectReader> Objects(ObjectReader owner, JsonArrayNode? array, string context, params string[] allowed)
    {
        if (array is null)
        {
            yield break;
        }

        foreach (var item in array.Items)
        {
            if (item is JsonObjectNode o)
            {
                yield return new ObjectReader(o, owner.File, owner.Diagnostics, context, allowed);
            }
            else
            {
                owner.Diagnostics.Add(DiagnosticCodes.WrongType, owner.File, item.Position, $"each entry of {context} must be an object, found {item.KindName}");
            }
        }
    }
}

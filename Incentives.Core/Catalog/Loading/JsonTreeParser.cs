using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Incentives.Catalog.Loading;

/// <summary>
/// Parses JSON with comments into a <see cref="JsonNode"/> tree that remembers where each token stood.
/// Duplicate keys are reported (System.Text.Json would silently keep the last one) and the first is kept.
/// </summary>
internal sealed class JsonTreeParser
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    private readonly byte[] _utf8;
    private readonly int _start;
    private readonly List<int> _lineStarts = [];
    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;

    private JsonTreeParser(byte[] utf8, string file, DiagnosticBag diagnostics)
    {
        _utf8 = utf8;
        _start = utf8.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        _file = file;
        _diagnostics = diagnostics;
        _lineStarts.Add(_start);
        for (var i = _start; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Parses <paramref name="utf8"/>; returns null (with a diagnostic) when the text is not JSON.</summary>
    public static JsonNode? Parse(byte[] utf8, string file, DiagnosticBag diagnostics) =>
        new JsonTreeParser(utf8, file, diagnostics).Run();

    private JsonNode? Run()
    {
        var reader = new Utf8JsonReader(_utf8.AsSpan(_start), ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                _diagnostics.Add(DiagnosticCodes.Syntax, _file, new TextPosition(1, 1), "the file is empty");
                return null;
            }

            var root = ReadValue(ref reader);
            if (reader.Read())
            {
                _diagnostics.Add(DiagnosticCodes.Syntax, _file, PositionOf(reader.TokenStartIndex),
                    "unexpected content after the end of the document");
            }

            return root;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = ColumnOfBytePosition(line, (int)(e.BytePositionInLine ?? 0));
            _diagnostics.Add(DiagnosticCodes.Syntax, _file, new TextPosition(line, column), CleanMessage(e.Message));
            return null;
        }
    }

    private JsonNode ReadValue(ref Utf8JsonReader reader)
    {
        var at = PositionOf(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<JsonProperty>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var nameAt = PositionOf(reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    reader.Read();
                    var value = ReadValue(ref reader);
                    if (seen.Add(name))
                    {
                        properties.Add(new JsonProperty(name, nameAt, value));
                    }
                    else
                    {
                        _diagnostics.Add(DiagnosticCodes.DuplicateKey, _file, nameAt,
                            $"duplicate key '{name}' (the first one is kept)");
                    }
                }

                return new JsonObjectNode(at, properties);
            case JsonTokenType.StartArray:
                var items = new List<JsonNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader));
                }

                return new JsonArrayNode(at, items);
            case JsonTokenType.String:
                return new JsonStringNode(at, reader.GetString()!);
            case JsonTokenType.Number:
                var raw = Encoding.UTF8.GetString(reader.ValueSpan);
                decimal? number = decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
                return new JsonNumberNode(at, number, raw);
            case JsonTokenType.True:
                return new JsonBoolNode(at, true);
            case JsonTokenType.False:
                return new JsonBoolNode(at, false);
            default:
                return new JsonNullNode(at);
        }
    }

    private TextPosition PositionOf(long tokenStartIndex)
    {
        var offset = (int)tokenStartIndex + _start;
        var index = _lineStarts.BinarySearch(offset);
        var lineIndex = index >= 0 ? index : ~index - 1;
        var column = Encoding.UTF8.GetCharCount(_utf8, _lineStarts[lineIndex], offset - _lineStarts[lineIndex]) + 1;
        return new TextPosition(lineIndex + 1, column);
    }

    private int ColumnOfBytePosition(int line, int bytePosition)
    {
        if (line - 1 >= _lineStarts.Count)
        {
            return bytePosition + 1;
        }

        var lineStart = _lineStarts[line - 1];
        var length = Math.Min(bytePosition, _utf8.Length - lineStart);
        return Encoding.UTF8.GetCharCount(_utf8, lineStart, Math.Max(0, length)) + 1;
    }

    // System.Text.Json appends its own "LineNumber: … | BytePositionInLine: …" which our position replaces.
    private static string CleanMessage(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}

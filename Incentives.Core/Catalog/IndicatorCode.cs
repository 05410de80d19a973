using System.Text.Json;
using System.Text.Json.Serialization;

namespace Incentives.Catalog;

/// <summary>
/// The code of a catalog indicator (积分指标编码): a three-letter category code, a dash and two digits, e.g.
/// <c>VOL-01</c>. Immutable; equality is ordinal.
/// </summary>
[JsonConverter(typeof(IndicatorCodeJsonConverter))]
public readonly record struct IndicatorCode
{
    private readonly string? _value;

    /// <summary>Creates a code after checking its form.</summary>
    /// <param name="value">The code, e.g. <c>ENV-04</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not of the form <c>AAA-00</c>.</exception>
    public IndicatorCode(string value)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException($"'{value}' is not an indicator code (three capital letters, '-', two digits)", nameof(value));
        }

        _value = value;
    }

    /// <summary>The code's text.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The category part, e.g. <c>VOL</c> for <c>VOL-01</c>.</summary>
    public string Category => Value.Length >= 3 ? Value[..3] : string.Empty;

    /// <summary>Parses a code without throwing.</summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="code">The code, when the text is valid.</param>
    /// <returns>Whether <paramref name="value"/> is a valid code.</returns>
    public static bool TryParse(string? value, out IndicatorCode code)
    {
        code = IsValid(value) ? new IndicatorCode(value!) : default;
        return IsValid(value);
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    private static bool IsValid(string? v) =>
        v is { Length: 6 } && char.IsAsciiLetterUpper(v[0]) && char.IsAsciiLetterUpper(v[1]) && char.IsAsciiLetterUpper(v[2])
        && v[3] == '-' && char.IsAsciiDigit(v[4]) && char.IsAsciiDigit(v[5]);
}

internal sealed class IndicatorCodeJsonConverter : JsonConverter<IndicatorCode>
{
    public override IndicatorCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? string.Empty);

    public override void Write(Utf8JsonWriter writer, IndicatorCode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace Incentives.Api.Hosting;

/// <summary>Instants in request bodies: ISO-8601, and between 1900 and 2200 (<see cref="Plausible"/>); anything else
/// is a 400 naming the field (the JSON path), before any command is made of it.</summary>
internal sealed class PlausibleInstantConverter : JsonConverter<Instant>
{
    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("an instant is an ISO-8601 string, e.g. 2026-11-23T02:00:00Z");
        }

        var parsed = InstantPattern.ExtendedIso.Parse(reader.GetString()!);
        if (!parsed.Success)
        {
            throw new JsonException($"'{reader.GetString()}' is not an ISO-8601 instant like 2026-11-23T02:00:00Z");
        }

        if (!Plausible.Contains(parsed.Value))
        {
            throw new JsonException($"{parsed.Value} is outside 1900-01-01 – 2200-01-01");
        }

        return parsed.Value;
    }

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(InstantPattern.ExtendedIso.Format(value));
}

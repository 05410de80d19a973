using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Incentives.Ledger;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Incentives.Utility;

/// <summary>The one JSON configuration for everything the engine writes (entries, commands): deterministic, so
/// the same value always gives the same bytes and hashes.</summary>
internal static class JsonSetup
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new StringIdConverter<ResidentId>(v => new ResidentId(v), id => id.Value));
        options.Converters.Add(new StringIdConverter<CommunityId>(v => new CommunityId(v), id => id.Value));
        options.Converters.Add(new StringIdConverter<Incentives.Mall.StoreId>(v => new Incentives.Mall.StoreId(v), id => id.Value));
        options.Converters.Add(new EntryIdConverter());
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        return options;
    }

    private sealed class StringIdConverter<T>(Func<string, T> create, Func<T, string> text) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            create(reader.GetString() ?? string.Empty);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(text(value));
    }

    private sealed class EntryIdConverter : JsonConverter<EntryId>
    {
        public override EntryId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, EntryId value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.Value);
    }
}

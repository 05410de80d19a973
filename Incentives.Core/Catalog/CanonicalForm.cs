using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Incentives.Catalog;

/// <summary>
/// The canonical bytes of a snapshot: compact JSON in declaration order with no comments or layout, so the same
/// rules give the same SHA-256 however the files were formatted. The bytes are also what the store keeps, so past
/// versions can be brought back exactly.
/// </summary>
internal static class CanonicalForm
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static byte[] Serialize(CatalogSnapshot snapshot) => JsonSerializer.SerializeToUtf8Bytes(snapshot, Options);

    public static string HashOf(byte[] canonical) => Convert.ToHexStringLower(SHA256.HashData(canonical));

    public static CatalogSnapshot Deserialize(byte[] canonical)
    {
        var snapshot = JsonSerializer.Deserialize<CatalogSnapshot>(canonical, Options)
            ?? throw new InvalidDataException("stored catalog snapshot is empty");
        snapshot.Hash = HashOf(canonical);
        return snapshot;
    }

    public static CatalogSnapshot Seal(CatalogSnapshot snapshot)
    {
        snapshot.Hash = HashOf(Serialize(snapshot));
        return snapshot;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        return options;
    }
}

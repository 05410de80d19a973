using System.Text.Json;
using Incentives.Rules;
using Incentives.Utility;
using NodaTime;

namespace Incentives.Ledger;

/// <summary>From the ledger's stored documents to its values, for the handler and the read side alike.</summary>
internal static class LedgerMapping
{
    internal static Resident ToResident(ResidentDoc d) =>
        new(new ResidentId(d.Id), new CommunityId(d.Community), d.DisplayName, (ResidentStatus)d.Status, Instant.FromUnixTimeTicks(d.RegisteredAt), d.BirthYear);

    internal static Refusal UnknownResident(ResidentId id) =>
        new(RefusalCode.UnknownResident, "residentId", $"no resident '{id}'", $"居民 '{id}' 不存在");

    internal static JournalEntry ToEntry(EntryDoc doc) =>
        JsonSerializer.Deserialize<JournalEntry>(doc.Json, JsonSetup.Options) ?? throw new InvalidDataException($"entry {doc.Id} is empty");
}

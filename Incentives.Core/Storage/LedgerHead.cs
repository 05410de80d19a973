using System.Text.Json;
using Incentives.Utility;

namespace Incentives.Storage;

/// <summary>
/// The ledger's head (last entry id and ledger-wide hash), written outside the data file at each checkpoint
/// (<c>incentives.db.head</c>), so a tail deleted from the data file — or the data file swapped for an older copy —
/// is noticed at the next start.
/// </summary>
/// <param name="LastEntryId">The last entry at the checkpoint.</param>
/// <param name="LedgerHash">Its ledger-wide hash.</param>
/// <param name="RecordedAt">When (ISO-8601 UTC), for the operator.</param>
internal sealed record LedgerHead(long LastEntryId, string LedgerHash, string RecordedAt)
{
    public static LedgerHead? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<LedgerHead>(File.ReadAllBytes(path), JsonSetup.Options) : null;

    public void Write(string path)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(JsonSerializer.SerializeToUtf8Bytes(this, JsonSetup.Options));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}

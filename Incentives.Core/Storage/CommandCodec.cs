using System.Text.Json;
using Incentives.Ledger;
using Incentives.Utility;

namespace Incentives.Storage;

/// <summary>
/// Commands as the command log stores them. A command is encoded on the caller's thread and read back before it
/// may be logged: a command the log could not replay (e.g. an instant beyond NodaTime's range, which serialises as
/// "EndOfTime" and then fails to parse) is refused here and never reaches the log, so it can never stop a restart.
/// </summary>
internal static class CommandCodec
{
    public static byte[] Encode(LedgerCommand command)
    {
        byte[] json;
        try
        {
            json = JsonSerializer.SerializeToUtf8Bytes(command, JsonSetup.Options);
            var back = Decode(json);
            if (!JsonSerializer.SerializeToUtf8Bytes(back, JsonSetup.Options).AsSpan().SequenceEqual(json))
            {
                throw new JsonException("the command does not read back as written");
            }
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new ArgumentException($"the {command.GetType().Name} cannot be stored: {e.Message}", nameof(command), e);
        }

        return json;
    }

    public static LedgerCommand Decode(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<LedgerCommand>(json, JsonSetup.Options) ?? throw new JsonException("empty command");
}

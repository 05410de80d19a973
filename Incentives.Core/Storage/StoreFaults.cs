namespace Incentives.Storage;

/// <summary>Which exceptions mean the store itself failed, not a bug of the caller's. Adapters throw their own
/// exception types for faults; this knows LiteDB's by name so that nothing outside the adapter names LiteDB.</summary>
internal static class StoreFaults
{
    public static bool IsFault(Exception e) =>
        e is IOException or ObjectDisposedException or StoreUnavailableException
        || e.GetType().FullName == "LiteDB.LiteException"
        || e.Message.StartsWith("LiteDB ENSURE", StringComparison.Ordinal);
}

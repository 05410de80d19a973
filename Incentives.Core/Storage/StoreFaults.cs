namespace Incentives.Storage;

/// <summary>The exceptions that mean a store failed, whatever the adapter: each adapter adds its own exception types
/// in <see cref="IStore.IsFault"/>, so nothing outside the adapter's folder names its library.</summary>
internal static class StoreFaults
{
    public static bool IsFault(Exception e) => e is IOException or ObjectDisposedException or StoreUnavailableException;
}

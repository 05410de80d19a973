namespace Incentives.Storage;

/// <summary>
/// Refuses writes while the data folder's disk has less than a reserve free, before anything is written, so LiteDB
/// never meets a full disk in the middle of a commit (where a failure closes its engine). Checking costs one
/// <c>statvfs</c> (about 3 µs here) per batch.
/// </summary>
internal sealed class DiskGuard(string directory, long reserve)
{
    public long Reserve => reserve;

    /// <summary>The free bytes when below the reserve; null when there is room.</summary>
    public long? Low()
    {
        if (reserve <= 0)
        {
            return null;
        }

        var free = new DriveInfo(directory).AvailableFreeSpace;
        return free < reserve ? free : null;
    }

    /// <summary>ENOSPC on Unix (HResult is the errno), ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    public static bool IsDiskFull(IOException e) => e.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027);
}

namespace Incentives.Storage;

/// <summary>fsync of a file another handle writes: on Linux it flushes the file's dirty pages whoever wrote them.</summary>
internal static class DataFile
{
    public static void FlushToDisk(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        stream.Flush(flushToDisk: true);
    }
}

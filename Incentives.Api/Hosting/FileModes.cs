using System.Runtime.InteropServices;

namespace Incentives.Api.Hosting;

/// <summary>The data folder holds keys, PIN hashes, the ID-number secret and the ledger: only its owner may read it.
/// The folder is 700 and every file in it 600. <see cref="RestrictNewFiles"/> sets the process umask to 077 at start,
/// so every file created later is private from its first byte, whoever creates it (LiteDB recreates its <c>-log.db</c>
/// after each checkpoint); <see cref="PrivateFiles"/> also corrects files made by earlier versions. No-ops on Windows.</summary>
internal static class FileModes
{
    public const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>umask 077 for the whole process: new files 600, new folders 700.</summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0b000_111_111);
        }
    }

    /// <summary>Creates the folder if need be, and makes it 700.</summary>
    public static void PrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }

        System.IO.Directory.CreateDirectory(path, Directory);
        System.IO.File.SetUnixFileMode(path, Directory);
    }

    /// <summary>Makes every file in the folder 600.</summary>
    public static void PrivateFiles(string directory)
    {
        if (OperatingSystem.IsWindows() || !System.IO.Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(directory))
        {
            try
            {
                System.IO.File.SetUnixFileMode(file, File);
            }
            catch (FileNotFoundException)
            {
                // LiteDB deletes its -log.db at a checkpoint: nothing left to protect.
            }
        }
    }

    /// <summary>Writes a new private file (600 from creation, not chmod-ed afterwards).</summary>
    public static void WritePrivate(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = File;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    // DllImport rather than LibraryImport, which would need unsafe code enabled for the project.
    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint Umask(uint mask);
}

using System.Runtime.InteropServices;

namespace Incentives.Api.Hosting;

/// <summary>
/// Every file the service creates — LiteDB's data and log files, the command log, keys, backups — is readable by the
/// owner only: the process's umask is set to 077 before anything is created, which also covers files LiteDB creates
/// on its own later (its -log.db), where a chmod after the fact would leave a window.
/// </summary>
internal static class OwnerOnlyFiles
{
    public static void Apply()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0b000_111_111);
        }
    }

    // A plain DllImport: umask takes and returns a mode_t (uint), nothing to marshal, no unsafe code needed.
    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport would need AllowUnsafeBlocks for the whole project.
    private static extern uint Umask(uint mask);
#pragma warning restore SYSLIB1054
}

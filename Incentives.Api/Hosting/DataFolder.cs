using Incentives.Api.Security;
using NodaTime;

namespace Incentives.Api.Hosting;

/// <summary>
/// The data folder and what lives in it. The running service holds <c>.lock</c> open exclusively, so the operator's
/// commands (backup, restore, verify, repair-log, accept-head, issue-admin-key) never open files a running service
/// is writing; the files are created readable by the owner only.
/// </summary>
internal sealed class DataFolder
{
    public const string LedgerFile = "incentives.db";
    public const string ApiFile = "api.db";
    public const string SecretFile = "secret.key";
    public const string DemoKeysFile = "demo-keys.json";
    public const string AdminKeyFile = "admin.key";

    /// <summary>What a backup holds: the ledger (data file, chain key, head) and the API's store and secret.</summary>
    public static readonly string[] BackupFiles = [LedgerFile, LedgerFile + ".key", LedgerFile + ".head", ApiFile, SecretFile];

    public DataFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    public string Ledger => File(LedgerFile);

    public static DataFolder FromSettings(IReadOnlyDictionary<string, string> settings) => new(settings.TryGetValue("data", out var d) ? d : "data");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public IncentivesOptions EngineOptions(string rules) => new() { DatabasePath = Ledger, RulesDirectory = rules };

    /// <summary>Takes the folder for this process; null when another process (a running service) has it.</summary>
    public FileStream? TryLock()
    {
        Directory.CreateDirectory(Path);
        Restrict(Path, directory: true);
        try
        {
            return new FileStream(File(".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Owner-only: 700 for the folder, 600 for a file.</summary>
    public static void Restrict(string path, bool directory = false)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, directory
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Writes a file atomically (temp file, fsync, rename) and owner-only: a kill in the middle leaves either
    /// no file or the whole file, never half of one.</summary>
    public static async Task WriteSecretFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            Restrict(temp);
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(content), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        System.IO.File.Move(temp, path, overwrite: true);
    }

    /// <summary>Copies the API's store and secret into a backup folder (the ledger files are the engine's).</summary>
    /// <returns>The digest of the keys and cards copied.</returns>
    public static string CopyApiFiles(ApiStore api, string from, string to) =>
        api.Write(() =>
        {
            api.Checkpoint();
            foreach (var name in new[] { ApiFile, SecretFile })
            {
                var source = System.IO.Path.Combine(from, name);
                if (System.IO.File.Exists(source))
                {
                    var target = System.IO.Path.Combine(to, name);
                    System.IO.File.Copy(source, target);
                    Restrict(target);
                }
            }

            return ApiDigest.Of(api);
        });

    /// <summary>A backup folder name for <paramref name="at"/>, sortable.</summary>
    public static string BackupName(Instant at) => "backup-" + at.ToString("uuuuMMdd'T'HHmmss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

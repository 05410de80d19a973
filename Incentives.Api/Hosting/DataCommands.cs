using System.Globalization;
using Incentives.Api.Security;

namespace Incentives.Api.Hosting;

/// <summary>
/// The operator's commands on a data folder: verify, backup, restore, repair-log, accept-head, issue-admin-key. Each
/// takes the folder for itself first, so none runs beside the service on the same folder (a running service backs up
/// and verifies through <c>POST /api/v1/admin/backups</c> and <c>GET /api/v1/admin/verify</c>). Exit codes: 0 done,
/// 1 a problem found or refused, 2 usage.
/// </summary>
internal static class DataCommands
{
    public static int Verify(CommandContext c) => WithFolder(c, folder =>
    {
        using var engine = OpenForVerify(folder, c);
        var result = engine.Verify();
        c.Output.WriteLine($"checked {result.Entries} entries of {result.Residents} residents in {folder.Ledger}");
        c.Output.WriteLine($"digest {engine.Digest()}");
        foreach (var problem in result.Problems)
        {
            c.Output.WriteLine("problem: " + problem);
        }

        c.Output.WriteLine(result.Valid ? "OK: every chain, balance and the ledger head verify" : $"FAILED: {result.Problems.Count} problem(s)");
        return result.Valid ? 0 : 1;
    });

    public static int Backup(CommandContext c) => WithFolder(c, folder =>
    {
        var destination = Path.GetFullPath(c.Arguments[0]);
        if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
        {
            c.Output.WriteLine($"refused: {destination} is not empty");
            return 1;
        }

        using (var engine = IncentivesEngine.Open(folder.EngineOptions(Rules(c)), c.Clock))
        {
            var backup = engine.BackupAsync(destination).GetAwaiter().GetResult();
            using var api = new ApiStore(folder.Path);
            var apiDigest = DataFolder.CopyApiFiles(api, folder.Path, destination);
            DataFolder.Restrict(destination, directory: true);
            c.Output.WriteLine($"backed up {folder.Path} to {destination}: entries up to {backup.LastEntryId}, digest {backup.Digest}, api digest {apiDigest}");
        }

        return 0;
    });

    public static int Restore(CommandContext c)
    {
        var source = Path.GetFullPath(c.Arguments[0]);
        var folder = DataFolder.FromSettings(c.Settings);
        if (!File.Exists(Path.Combine(source, DataFolder.LedgerFile)))
        {
            c.Output.WriteLine($"refused: {source} holds no {DataFolder.LedgerFile}: not a backup");
            return 1;
        }

        if (Directory.Exists(folder.Path) && Directory.EnumerateFileSystemEntries(folder.Path).Any())
        {
            c.Output.WriteLine($"refused: the target {folder.Path} is not empty; restore into a new folder, then point --data at it");
            return 1;
        }

        return WithFolder(c, _ =>
        {
            foreach (var name in DataFolder.BackupFiles.Where(n => File.Exists(Path.Combine(source, n))))
            {
                File.Copy(Path.Combine(source, name), folder.File(name));
                DataFolder.Restrict(folder.File(name));
            }

            // Opening checks the head and replays nothing; the digest is the backup's.
            using var engine = IncentivesEngine.Open(folder.EngineOptions(Rules(c)), c.Clock);
            c.Output.WriteLine($"restored {source} into {folder.Path}: digest {engine.Digest()}");
            return 0;
        });
    }

    public static int RepairLog(CommandContext c) => WithFolder(c, folder =>
    {
        if (!long.TryParse(c.Arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            c.Output.WriteLine($"refused: '{c.Arguments[0]}' is not a byte offset");
            return 1;
        }

        c.Output.WriteLine(IncentivesEngine.RepairCommandLog(folder.EngineOptions(Rules(c)), offset, c.Clock));
        return 0;
    });

    public static int AcceptHead(CommandContext c) => WithFolder(c, folder =>
    {
        c.Output.WriteLine("accepted the data file as the ledger's head: " + IncentivesEngine.AcceptHead(folder.EngineOptions(Rules(c)), c.Clock));
        return 0;
    });

    public static int IssueAdminKey(CommandContext c) => WithFolder(c, folder =>
    {
        using var api = new ApiStore(folder.Path);
        var (id, key) = api.CreateKey(Role.Admin, string.Empty);
        DataFolder.WriteSecretFileAsync(folder.File(DataFolder.AdminKeyFile), key + Environment.NewLine).GetAwaiter().GetResult();
        api.KeysDelivered = true;
        c.Output.WriteLine($"issued admin key {id} to {folder.File(DataFolder.AdminKeyFile)} (readable by the owner only)");
        return 0;
    });

    private static int WithFolder(CommandContext c, Func<DataFolder, int> run)
    {
        var folder = DataFolder.FromSettings(c.Settings);
        using var held = folder.TryLock();
        if (held is null)
        {
            c.Output.WriteLine($"refused: the service is running on {folder.Path}; stop it first (a running service backs up through POST /api/v1/admin/backups and verifies through GET /api/v1/admin/verify)");
            return 1;
        }

        try
        {
            return run(folder);
        }
        catch (StoreOpenException e)
        {
            c.Output.WriteLine(e.Message);
            return 1;
        }
    }

    private static IncentivesEngine OpenForVerify(DataFolder folder, CommandContext c) =>
        IncentivesEngine.OpenForAudit(folder.EngineOptions(Rules(c)), c.Clock);

    private static string Rules(CommandContext c) => RulesFolder.Find(c.Settings.TryGetValue("rules", out var r) ? r : null);
}

using Incentives.Api.Hosting;
using Incentives.Api.Security;

namespace Incentives.Api.Demo;

/// <summary>
/// The first start, made atomic: on a fresh data folder it seeds demo data and writes <c>demo-keys.json</c>, or with
/// <c>--no-demo</c> writes only an admin key to <c>admin.key</c>. The key file is written last (atomically), then a
/// mark in <c>api.db</c> records the completed first start (so it travels with api.db into backups and restores). If a first start was interrupted — keys in <c>api.db</c>, no key file delivered —
/// the keys nobody ever received are revoked and the start is done again (the seeding is idempotent), and the log
/// says so. A data folder holding a ledger but no API keys (an <c>api.db</c> lost or not restored) is refused, never
/// seeded over. Keys are never logged.
/// </summary>
internal sealed partial class StartupWork(IncentivesEngine engine, ApiStore store, Secrets secrets, StaffAccounts staff, DemoOptions options, NodaTime.IClock clock, ILogger<StartupWork> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Problem(engine, store, options.DataDirectory) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var folder = new DataFolder(options.DataDirectory);
        if (store.Read(() => store.Keys.Count()) > 0)
        {
            // A key file on disk also counts: folders from before the mark existed.
            if (store.KeysDelivered || File.Exists(folder.File(DataFolder.DemoKeysFile)) || File.Exists(folder.File(DataFolder.AdminKeyFile)))
            {
                store.KeysDelivered = true;
                return;
            }

            // Interrupted first start: nobody holds these keys. Revoke them and start over.
            foreach (var k in store.Read(() => store.Keys.FindAll().Where(k => !k.Revoked).Select(k => k.Id).ToList()))
            {
                store.RevokeKey(k);
            }

            LogInterrupted(log, folder.Path);
        }

        if (!options.Seed)
        {
            var (id, key) = store.CreateKey(Role.Admin, string.Empty);
            var file = folder.File(DataFolder.AdminKeyFile);
            await DataFolder.WriteSecretFileAsync(file, key + Environment.NewLine, cancellationToken);
            store.KeysDelivered = true;
            LogAdminKey(log, id, file);
            return;
        }

        var keys = await new DemoSeeder(engine, store, secrets, staff, clock).SeedAsync();
        var demo = folder.File(DataFolder.DemoKeysFile);
        await DataFolder.WriteSecretFileAsync(demo, keys, cancellationToken);
        store.KeysDelivered = true;
        LogSeeded(log, demo);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The first start of {Folder} was interrupted before its keys were written: revoked them, issuing new keys now")]
    private static partial void LogInterrupted(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued admin key {KeyId} to {File} (the key itself is never logged)")]
    private static partial void LogAdminKey(ILogger logger, string keyId, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded demo data; the keys are in {File}")]
    private static partial void LogSeeded(ILogger logger, string file);

    /// <summary>Why the service must not start on this folder, or null.</summary>
    public static string? Problem(IncentivesEngine engine, ApiStore store, string dataDirectory) =>
        store.Read(() => store.Keys.Count()) == 0 && engine.GetCommunities().Count > 0
            ? $"{Path.Combine(dataDirectory, DataFolder.LedgerFile)} holds a ledger, but {Path.Combine(dataDirectory, DataFolder.ApiFile)} has no API keys " +
              "(was api.db lost, or only the .db files restored?). Nothing was changed and no demo data was seeded. Restore api.db and secret.key from the " +
              "same backup (restore SRC --data DIR restores all of them), or issue a new admin key with 'issue-admin-key --data DIR'."
            : null;
}

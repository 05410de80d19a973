using System.Security.Cryptography;
using Incentives.Catalog;
using Incentives.Credit;
using Incentives.Ledger;
using Incentives.Rules;
using Incentives.Storage;
using NodaTime;

namespace Incentives;

/// <summary>The engine's life: opening a data folder (replaying the command log, checking the ledger head), the
/// operator's commands on a stopped one (accept a head, repair a log), audit, digest, backup and a clean close.</summary>
public sealed partial class IncentivesEngine
{
    /// <summary>Opens the store, replays any durable commands it lacks, loads and registers the rules.</summary>
    /// <param name="options">Where the data and rules are.</param>
    /// <param name="clock">The clock: NodaTime's system clock in production, a fake one in tests. The engine reads no other.</param>
    /// <returns>The running engine; dispose it to close the store cleanly.</returns>
    /// <exception cref="RulesLoadException">The rules folder has errors; nothing was opened.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message lists every one with its range.</exception>
    /// <exception cref="StoreOpenException">The data folder cannot be opened as it is (a damaged or unreadable
    /// command log, a ledger that does not match its recorded head); the message says where and what to do.</exception>
    public static IncentivesEngine Open(IncentivesOptions options, IClock clock) => Open(options, clock, null);

    /// <summary>Opens the store to investigate it (the <c>verify</c> command): a ledger that does not match its
    /// recorded head opens anyway — <see cref="Verify"/> reports it — and no new head is recorded, so investigating
    /// never accepts a changed ledger. Use it only with the service stopped.</summary>
    /// <param name="options">Where the data and rules are.</param>
    /// <param name="clock">The clock.</param>
    /// <returns>The engine; dispose it.</returns>
    public static IncentivesEngine OpenForAudit(IncentivesOptions options, IClock clock) => Open(options, clock, null, audit: true);

    internal static IncentivesEngine Open(IncentivesOptions options, IClock clock, Func<bool>? crashAfterLog, bool audit = false, Func<IncentivesOptions, IStore>? adapter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("invalid IncentivesOptions: " + string.Join("; ", problems), nameof(options));
        }

        var rules = RulesLoader.Load(options.RulesDirectory);
        if (!rules.Succeeded)
        {
            throw new RulesLoadException(rules.Diagnostics);
        }

        if (options.DatabasePath is { } data && Path.GetDirectoryName(Path.GetFullPath(data)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        List<(long, LedgerCommand)> logged = [];
        var log = options.CommandLogPath is null ? null : CommandLog.Open(options.CommandLogPath, out logged);
        IStore? store = null;
        try
        {
            store = (adapter ?? OpenStore)(options);
            var catalogs = new CatalogHistory();
            foreach (var doc in store.CatalogsInOrder())
            {
                catalogs.Add(CanonicalForm.Deserialize(doc.Canonical));
            }

            // Entries from here on are hashed under the secret; older ones keep their plain hashes.
            if (store.GetMeta(KeyedFromKey) == 0)
            {
                store.SetMeta(KeyedFromKey, store.GetMeta(LedgerHandler.NextEntryIdKey) + 1);
            }

            var key = new LedgerKey(options.KeyPath is null ? RandomNumberGenerator.GetBytes(32) : LedgerKey.LoadOrCreate(options.KeyPath), store.GetMeta(KeyedFromKey));
            var disk = options.DatabasePath is null ? null : new DiskGuard(Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath))!, options.MinFreeDiskBytes);
            var writer = new CommandWriter(store, new CommandDispatcher(store, catalogs, key), log, options.MaxBatchSize, options.CommandLogCheckpointBytes, disk,
                () => audit ? null : WriteHead(store, options.HeadPath, clock), options.BatchLinger.ToTimeSpan())
            {
                CrashAfterLog = crashAfterLog,
            };
            writer.Replay(logged);
            if (!audit)
            {
                CheckHead(store, options);
            }

            writer.Start();
            var engine = new IncentivesEngine(store, log, writer, catalogs, clock, key, options);
            if (catalogs.Latest?.Hash != rules.Snapshot!.Hash)
            {
                engine.Submit<CatalogSnapshot>(new RegisterCatalogCommand(clock.GetCurrentInstant(), CanonicalForm.Serialize(rules.Snapshot))).GetAwaiter().GetResult();
            }

            return engine;
        }
        catch
        {
            store?.Dispose();
            log?.Dispose();
            throw;
        }
    }

    /// <summary>Accepts the data file as it is as the ledger's head (after an operator deliberately put back an older
    /// data file, e.g. from a backup without its head file): rewrites the head file from the ledger's last entry. Run
    /// <see cref="Verify"/> first; the service must be stopped.</summary>
    /// <param name="options">Where the data is.</param>
    /// <param name="clock">The clock.</param>
    /// <returns>The head now recorded.</returns>
    public static string AcceptHead(IncentivesOptions options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        if (options.DatabasePath is null || options.HeadPath is null)
        {
            throw new ArgumentException("an in-memory store has no head file", nameof(options));
        }

        using var store = OpenStore(options);
        var head = WriteHead(store, options.HeadPath, clock);
        return $"entry {head?.LastEntryId ?? 0}, ledger hash {head?.LedgerHash}";
    }

    /// <summary>Removes the record at <paramref name="offset"/> from the command log (a damaged or unreadable record
    /// that stops the engine from opening; the message of the <see cref="StoreOpenException"/> names the offset). The
    /// command in it is lost; the original log is kept beside it. The service must be stopped.</summary>
    /// <param name="options">Where the data is.</param>
    /// <param name="offset">The byte offset of the record.</param>
    /// <param name="clock">The clock (names the kept original).</param>
    /// <returns>What was removed and where the original is.</returns>
    public static string RepairCommandLog(IncentivesOptions options, long offset, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var stamp = clock.GetCurrentInstant().ToString("uuuuMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        return CommandLog.DropAt(options.CommandLogPath ?? throw new ArgumentException("an in-memory store has no command log", nameof(options)), offset, stamp);
    }

    /// <summary>Checks the whole ledger (审计): every resident's chain and balance, entry ids without a gap, the
    /// ledger-wide keyed chain, and the head recorded outside the data file at the last checkpoint. Editing an entry,
    /// re-linking a chain without the secret, or deleting entries is reported.</summary>
    /// <returns>The result, with one line per problem.</returns>
    public LedgerVerification Verify() =>
        _store.Read(() => ChainVerifier.VerifyAll(_store, _key, _options.HeadPath is { } head ? LedgerHead.Read(head) : null));

    /// <summary>A fingerprint of the state (balances and chain heads of every account, stock of every item, the
    /// ledger head): equal for two stores that hold the same ledger, e.g. a backup and its source.</summary>
    /// <returns>A lower-case hex SHA-256.</returns>
    public string Digest() => _store.Read(() => StateDigest.Of(_store));

    /// <summary>Copies the data file, its chain key and its ledger head into <paramref name="directory"/> (which must
    /// not exist or be empty), consistently, while writes go on: the writer takes the copy between two batches, right
    /// after a checkpoint.</summary>
    /// <param name="directory">Where to put the copy.</param>
    /// <returns>What was copied, with the digest of the state copied.</returns>
    /// <exception cref="IOException">The destination is not empty, or a copy failed.</exception>
    public async Task<BackupResult> BackupAsync(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (_options.DatabasePath is not { } data)
        {
            throw new InvalidOperationException("an in-memory store cannot be backed up");
        }

        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"the backup folder {directory} is not empty");
        }

        return (BackupResult)await _writer.Between(() =>
        {
            _writer.Checkpoint();
            Directory.CreateDirectory(directory);
            var files = new List<string>();
            foreach (var source in new[] { data, _options.KeyPath!, _options.HeadPath! }.Where(File.Exists))
            {
                var target = Path.Combine(directory, Path.GetFileName(source));
                File.Copy(source, target);
                DataFile.FlushToDisk(target);
                files.Add(Path.GetFileName(source));
            }

            return new BackupResult(directory, files, _store.GetMeta(LedgerHandler.NextEntryIdKey), StateDigest.Of(_store), _clock.GetCurrentInstant());
        });
    }

    /// <summary>Finishes queued commands, makes the data file durable and closes it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
        var clean = !_writer.Crashed && _writer.Health.Problem is not StoreProblem.Faulted and not StoreProblem.Unavailable;
        if (clean)
        {
            try
            {
                _writer.Checkpoint();
            }
            catch (IOException)
            {
                // A full disk at close: the command log keeps everything, and the next open replays it.
            }
        }

        _store.Dispose();
        _log?.Dispose();
    }

    // The composition point of the store port: LiteDB today; another adapter passes the same contract tests.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The port: nothing past this line may depend on the adapter.")]
    private static IStore OpenStore(IncentivesOptions options) =>
        options.DatabasePath is null ? Storage.LiteDb.LiteStore.OpenMemory() : Storage.LiteDb.LiteStore.OpenFile(options.DatabasePath);

    private static LedgerHead? WriteHead(IStore store, string? path, IClock clock)
    {
        var last = store.GetMeta(LedgerHandler.NextEntryIdKey);
        if (path is null || last == 0)
        {
            return null;
        }

        var head = new LedgerHead(last, store.Entries.FindById(last)?.LedgerHash ?? string.Empty, clock.GetCurrentInstant().ToString());
        head.Write(path);
        store.SetMeta(HeadWrittenKey, 1);
        return head;
    }

    // The fast check at start: a tail deleted from the data file, or an older data file put back, stops the start.
    private static void CheckHead(IStore store, IncentivesOptions options)
    {
        if (options.HeadPath is not { } path)
        {
            return;
        }

        var head = LedgerHead.Read(path);
        var problem = head is null
            ? store.GetMeta(HeadWrittenKey) == 1 ? $"the head file {path} is missing, though the ledger recorded one" : null
            : ChainVerifier.HeadProblem(store, head);
        if (problem is not null)
        {
            throw new StoreOpenException($"{options.DatabasePath}: {problem}. Nothing was changed. Run 'verify' to see what differs; " +
                "if you deliberately put back an older data file (a restored backup), accept it with 'accept-head'.");
        }
    }
}

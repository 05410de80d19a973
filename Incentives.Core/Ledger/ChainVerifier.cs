using Incentives.Storage;

namespace Incentives.Ledger;

/// <summary>Re-derives chains from the stored entries and compares them with the accounts and the ledger head.</summary>
internal static class ChainVerifier
{
    /// <summary>One resident: sequence, links, each entry's (keyed) hash, balance == Σ journal, lots == balance.</summary>
    public static ChainVerification Verify(IStore store, LedgerKey key, ResidentId id)
    {
        if (store.Accounts.FindById(id.Value) is not { } account)
        {
            return new ChainVerification(false, 0, $"no account for resident '{id}'");
        }

        var resident = id.Value;
        var docs = store.EntriesOf(resident);
        var previous = LedgerKey.Genesis;
        long sum = 0;
        long expected = 1;
        foreach (var doc in docs)
        {
            var entry = LedgerMapping.ToEntry(doc);
            if (entry.Sequence != expected || doc.Sequence != expected)
            {
                return new ChainVerification(false, expected - 1, $"entry {doc.Id}: sequence {entry.Sequence}, expected {expected}");
            }

            if (entry.PreviousHash != previous)
            {
                return new ChainVerification(false, expected - 1, $"entry {doc.Id}: previous hash does not match entry {expected - 1}");
            }

            if (key.EntryHash(entry) != entry.Hash || entry.Points != doc.Points || entry.Id.Value != doc.Id)
            {
                return new ChainVerification(false, expected - 1, $"entry {doc.Id}: content does not match its hash");
            }

            sum = checked(sum + entry.Points);
            previous = entry.Hash;
            expected++;
        }

        if (account.LastHash != previous || account.Sequence != expected - 1)
        {
            return new ChainVerification(false, expected - 1, "the account's chain head does not match its last entry");
        }

        var lots = store.LotsOf(resident);
        var remaining = lots.Sum(l => l.Remaining);
        var held = lots.Sum(l => l.Held);
        if (remaining != account.Available || held != account.Reserved || lots.Any(l => l.Remaining < 0 || l.Held < 0))
        {
            return new ChainVerification(false, expected - 1, $"lots hold {remaining} available and {held} reserved, the account {account.Available} and {account.Reserved}");
        }

        var total = checked(account.Available + account.Pending + account.Reserved);
        return total != sum || account.Available < 0 || account.Pending < 0 || account.Reserved < 0
            ? new ChainVerification(false, expected - 1, $"balance {total} differs from the journal's sum {sum}")
            : new ChainVerification(true, expected - 1, null);
    }

    /// <summary>The whole ledger: every resident's chain and balance, entry ids 1..N without a gap, the ledger-wide
    /// keyed chain, and the head recorded outside the data file at the last checkpoint.</summary>
    public static LedgerVerification VerifyAll(IStore store, LedgerKey key, LedgerHead? head)
    {
        var problems = new List<string>();
        var residents = 0;
        foreach (var account in store.AccountsInIdOrder())
        {
            residents++;
            try
            {
                var chain = Verify(store, key, new ResidentId(account.Id));
                if (!chain.Valid)
                {
                    problems.Add($"resident {account.Id}: {chain.Problem}");
                }
            }
            catch (Exception e) when (Unreadable(e, store))
            {
                problems.Add($"resident {account.Id}: an entry cannot be read ({e.Message})");
            }
        }

        var last = store.GetMeta(LedgerHandler.NextEntryIdKey);
        long count = 0;
        var expected = 1L;
        var ledger = LedgerKey.Genesis;
        try
        {
            (count, expected, ledger) = WalkLedger(store, key, problems);
        }
        catch (Exception e) when (Unreadable(e, store))
        {
            problems.Add($"the ledger cannot be read in entry-id order ({e.Message})");
            return new LedgerVerification(false, count, residents, problems);
        }

        if (expected - 1 != last)
        {
            problems.Add(last > expected - 1 ? $"entries {expected}–{last} are missing from the end" : $"entries run past the ledger's last id {last}");
        }

        if (last >= key.KeyedFrom && store.GetMetaText(LedgerHandler.LedgerHeadKey) != ledger)
        {
            problems.Add("the ledger head does not match the last entry");
        }

        if (head is not null && HeadProblem(store, head) is { } headProblem)
        {
            problems.Add(headProblem);
        }

        return new LedgerVerification(problems.Count == 0, count, residents, problems);
    }

    // Entry ids 1..N without a gap, and the ledger-wide keyed chain over them.
    private static (long Count, long Expected, string Ledger) WalkLedger(IStore store, LedgerKey key, List<string> problems)
    {
        long count = 0;
        var expected = 1L;
        var ledger = LedgerKey.Genesis;
        foreach (var doc in store.EntriesInIdOrder())
        {
            count++;
            if (doc.Id != expected)
            {
                problems.Add(doc.Id > expected ? $"entries {expected}–{doc.Id - 1} are missing" : $"entry {doc.Id} appears twice");
                expected = doc.Id;
            }

            if (doc.Id >= key.KeyedFrom)
            {
                var entry = LedgerMapping.ToEntry(doc);
                ledger = key.LedgerHash(doc.Id == key.KeyedFrom ? LedgerKey.Genesis : ledger, doc.Id, entry.Hash);
                if (doc.LedgerHash != ledger)
                {
                    problems.Add($"entry {doc.Id}: the ledger-wide chain breaks here");
                    ledger = doc.LedgerHash;
                }
            }

            expected++;
        }

        return (count, expected, ledger);
    }

    // Data an editor wrote with the wrong types or shapes: a finding, not a crash of the verifier.
    private static bool Unreadable(Exception e, IStore store) =>
        e is InvalidCastException or FormatException or System.Text.Json.JsonException or InvalidDataException or OverflowException || store.IsFault(e);

    /// <summary>The fast check at start: the entry the head file names is there, with the hash it recorded.</summary>
    public static string? HeadProblem(IStore store, LedgerHead head)
    {
        if (head.LastEntryId == 0)
        {
            return null;
        }

        var last = store.GetMeta(LedgerHandler.NextEntryIdKey);
        if (last < head.LastEntryId)
        {
            return $"the ledger ends at entry {last}, but entry {head.LastEntryId} was recorded at the last checkpoint ({head.RecordedAt}): entries were deleted or an older copy of the data file was put back";
        }

        var doc = store.Entries.FindById(head.LastEntryId);
        return doc is null || doc.LedgerHash != head.LedgerHash
            ? $"entry {head.LastEntryId} differs from what the last checkpoint ({head.RecordedAt}) recorded: the ledger was changed outside the engine"
            : null;
    }
}

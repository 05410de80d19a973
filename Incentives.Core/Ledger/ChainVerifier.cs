using Incentives.Storage;

namespace Incentives.Ledger;

/// <summary>Re-derives a resident's chain from the stored entries and compares it with the account.</summary>
internal static class ChainVerifier
{
    public static ChainVerification Verify(LiteStore store, ResidentId id)
    {
        if (store.Accounts.FindById(id.Value) is not { } account)
        {
            return new ChainVerification(false, 0, $"no account for resident '{id}'");
        }

        var resident = id.Value;
        var docs = store.Entries.Query().Where(e => e.Resident == resident).OrderBy(e => e.Sequence).ToList();
        var previous = EntryHashing.Genesis;
        long sum = 0;
        long expected = 1;
        foreach (var doc in docs)
        {
            var entry = LedgerProcessor.ToEntry(doc);
            if (entry.Sequence != expected || doc.Sequence != expected)
            {
                return new ChainVerification(false, expected - 1, $"entry {doc.Id}: sequence {entry.Sequence}, expected {expected}");
            }

            if (entry.PreviousHash != previous)
            {
                return new ChainVerification(false, expected - 1, $"entry {doc.Id}: previous hash does not match entry {expected - 1}");
            }

            if (EntryHashing.ComputeHash(entry) != entry.Hash || entry.Points != doc.Points)
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

        var lots = store.Lots.Find(l => l.Resident == resident).ToList();
        var remaining = lots.Sum(l => l.Remaining);
        var held = lots.Sum(l => l.Held);
        if (remaining != account.Available || held != account.Reserved || lots.Exists(l => l.Remaining < 0 || l.Held < 0))
        {
            return new ChainVerification(false, expected - 1, $"lots hold {remaining} available and {held} reserved, the account {account.Available} and {account.Reserved}");
        }

        var total = checked(account.Available + account.Pending + account.Reserved);
        return total != sum || account.Available < 0 || account.Pending < 0 || account.Reserved < 0
            ? new ChainVerification(false, expected - 1, $"balance {total} differs from the journal's sum {sum}")
            : new ChainVerification(true, expected - 1, null);
    }
}

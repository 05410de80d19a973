using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Incentives.Ledger;

namespace Incentives.Storage;

/// <summary>A fingerprint of the state that matters: every account's balances and chain head, every item's stock, the
/// ledger head. Read under the store's read lock (or by the writer), so it is one consistent state.</summary>
internal static class StateDigest
{
    public static string Of(IStore store)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string line) => hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        foreach (var a in store.AccountsInIdOrder())
        {
            Add(string.Create(CultureInfo.InvariantCulture, $"account|{a.Id}|{a.Available}|{a.Pending}|{a.Reserved}|{a.Sequence}|{a.LastHash}"));
        }

        foreach (var i in store.ItemsInIdOrder())
        {
            Add(string.Create(CultureInfo.InvariantCulture, $"item|{i.Id}|{i.Stock}|{i.Held}|{i.Handed}|{i.Received}"));
        }

        Add(string.Create(CultureInfo.InvariantCulture, $"head|{store.GetMeta(LedgerHandler.NextEntryIdKey)}|{store.GetMetaText(LedgerHandler.LedgerHeadKey)}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

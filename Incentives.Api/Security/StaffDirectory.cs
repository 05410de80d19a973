using System.Collections.Concurrent;

namespace Incentives.Api.Security;

/// <summary>Staff names by login id, for views that show who recorded something (a statement's
/// <c>recordedByName</c>). Held in memory, loaded once from <c>api.db</c> and kept current by
/// <see cref="StaffAccounts"/>, so a page of 500 statement lines never reads the database for names. Ids that are not
/// people (API key ids, "demo") have no name.</summary>
internal sealed class StaffDirectory
{
    private readonly ConcurrentDictionary<string, string> _names;

    public StaffDirectory(ApiStore store) =>
        _names = new(store.Read(() => store.Staff.FindAll().Select(m => KeyValuePair.Create(m.Id, m.Name)).ToList()), StringComparer.Ordinal);

    /// <summary>The display name of a staff member, or null when the id is no staff member's.</summary>
    public string? NameOf(string staffId) => _names.TryGetValue(staffId, out var name) ? name : null;

    /// <summary>Called by <see cref="StaffAccounts"/> after a new account is written.</summary>
    public void Add(string staffId, string name) => _names[staffId] = name;
}

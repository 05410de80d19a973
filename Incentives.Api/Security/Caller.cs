using Incentives.Ledger;
using Incentives.Mall;

namespace Incentives.Api.Security;

/// <summary>The roles of DESIGN.md §8.</summary>
public enum Role
{
    /// <summary>Operator: everything.</summary>
    Admin,

    /// <summary>Community staff: their community only.</summary>
    Staff,

    /// <summary>A kiosk: its store; a resident's own data once the resident signs in.</summary>
    Kiosk,

    /// <summary>A partner system: read-only credit and eligibility queries.</summary>
    Partner,
}

/// <summary>Who is calling, as established from the API key (and, at a kiosk, the resident session).</summary>
/// <param name="KeyId">The key's id (never the key).</param>
/// <param name="Role">The role.</param>
/// <param name="Scope">Community id (staff), store id (kiosk) or partner name.</param>
/// <param name="Resident">The resident signed in at a kiosk, if any.</param>
internal sealed record Caller(string KeyId, Role Role, string Scope, ResidentId? Resident = null)
{
    public CommunityId? Community => Role == Role.Staff ? new CommunityId(Scope) : null;

    public StoreId? Store => Role == Role.Kiosk ? new StoreId(Scope) : null;
}

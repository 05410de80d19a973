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

/// <summary>Who is calling, as established from the API key (and, at a kiosk, the resident session), or from a staff
/// member's session cookie.</summary>
/// <param name="KeyId">The key's id (never the key); for a signed-in staff member, their staff id, so every record and
/// idempotency key names the person.</param>
/// <param name="Role">The role.</param>
/// <param name="Scope">Community id (staff), store id (kiosk) or partner name.</param>
/// <param name="Resident">The resident signed in at a kiosk, if any.</param>
/// <param name="Member">The staff member signed in, if any; null for every key (a staff key is a system key).</param>
internal sealed record Caller(string KeyId, Role Role, string Scope, ResidentId? Resident = null, StaffMember? Member = null)
{
    public CommunityId? Community => Role == Role.Staff ? new CommunityId(Scope) : null;

    public StoreId? Store => Role == Role.Kiosk ? new StoreId(Scope) : null;

    /// <summary>Whether the caller may act as a staff member of at least <paramref name="needed"/>. Admin may do
    /// anything; a staff key without a person is a system key (the desks and integrations of before staff accounts)
    /// and keeps every staff role; a person has their own role; kiosks and partners are not staff.</summary>
    public bool Can(StaffRole needed) => Role switch
    {
        Role.Admin => true,
        Role.Staff => Member is null || Member.Role >= needed,
        _ => false,
    };
}

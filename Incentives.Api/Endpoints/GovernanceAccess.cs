using Incentives.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Incentives.Api.Endpoints;

/// <summary>The staff roles the loop's steps need (docs/governance.md): approving or rejecting needs a signed-in
/// person with the reviewer role, decisions on objections and appeals (and manual credit records) a manager. A
/// community's shared system key records and objects but never reviews or decides: the point of the loop is that a
/// named second person does. Admin keys (operators) may do everything.</summary>
internal static class GovernanceAccess
{
    public static ProblemHttpResult? Reviewer(Caller caller) =>
        caller.Role == Role.Admin || (caller.Member is not null && caller.Can(StaffRole.Reviewer)) ? null
            : caller.Member is { } member ? Problems.Forbidden($"approving or rejecting needs the reviewer or manager role; {member.Id} is a {member.Role.ToString().ToLowerInvariant()}",
                "审核须由具有审核员角色或负责人角色的工作人员进行, 您的角色不能审核")
            : Problems.Forbidden("approving or rejecting needs a staff member with the reviewer role, signed in at the desk; a shared system key cannot review",
                "审核须由具有审核员角色的工作人员登录后进行, 共用系统密钥不能审核");

    public static ProblemHttpResult? Manager(Caller caller) =>
        caller.Role == Role.Admin || (caller.Member is not null && caller.Can(StaffRole.Manager)) ? null
            : caller.Member is { } member ? Problems.Forbidden($"this decision needs the manager role; {member.Id} is a {member.Role.ToString().ToLowerInvariant()}",
                "此项决定须由具有负责人角色的工作人员作出, 您的角色不能决定")
            : Problems.Forbidden("this decision needs a staff member with the manager role, signed in at the desk",
                "此项决定须由具有负责人角色的工作人员登录后作出");

    /// <summary>Who acted, as the record keeps it: the staff member's id (or the system key's id); a resident signed in
    /// at a kiosk is recorded as themselves.</summary>
    public static string Actor(Caller caller) => caller.Role == Role.Kiosk && caller.Resident is { } r ? r.Value : caller.KeyId;

    /// <summary>Staff id → name for staff and admin callers; null at a kiosk (residents see no staff names).</summary>
    public static Func<string, string?>? Names(Caller caller, StaffDirectory staff) => caller.Role == Role.Kiosk ? null : staff.NameOf;
}

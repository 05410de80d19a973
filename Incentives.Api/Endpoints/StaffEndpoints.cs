using Incentives.Api.Idempotency;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Incentives.Api.Endpoints;

/// <summary>
/// Staff accounts and their sessions (issue 13, part 1): people, not shared keys, so every record names who made it.
/// Accounts are made by the admin or by a manager of the community; a member signs in with id and password and gets
/// the <c>incentives_staff</c> cookie (<see cref="StaffSessions"/>), with which every staff route works as it does for a
/// staff key of the member's community, recording the member's id.
/// </summary>
internal static class StaffEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/staff", Results<Created<StaffView>, ProblemHttpResult> (StaffBody body, HttpContext http, StaffAccounts accounts, IncentivesEngine e) =>
        {
            var caller = http.Caller();
            if (!caller.Can(StaffRole.Manager))
            {
                return NotManager();
            }

            if (StaffAccounts.Check(body.Id, body.Name, body.Role, body.Community, body.Password) is { } bad)
            {
                return Problems.BadRequest(bad.Field, bad.Message, bad.MessageZh);
            }

            // Scope before existence: staff of one community learn nothing about another's.
            if (Guard.Community(caller, body.Community!) is { } forbidden)
            {
                return forbidden;
            }

            if (!e.GetCommunities().Any(c => c.Id.Value == body.Community))
            {
                return Problems.BadRequest("community", $"no community '{body.Community}'", $"社区 '{body.Community}' 不存在");
            }

            var member = new StaffMember(body.Id!, body.Name!.Trim(), StaffAccounts.ParseRole(body.Role)!.Value, body.Community!);
            return accounts.Create(member, body.Password!)
                ? TypedResults.Created($"/api/v1/staff/{member.Id}", View(member, locked: false))
                : Problems.Conflict("id", "already-exists", $"a staff account '{member.Id}' already exists", $"工号 '{member.Id}' 已存在");
        }).Allow(Role.Admin, Role.Staff)
            .Idempotency(IdempotencyPolicy.Exempt, "the body carries a password, whose fast hash must not be stored; a repeat is refused 409 as the id exists")
            .ProducesProblems(403, 409, 503).WithTags("Staff");

        api.MapGet("/staff", Results<Ok<IReadOnlyList<StaffView>>, ProblemHttpResult> (string? community, HttpContext http, StaffAccounts accounts) =>
        {
            var caller = http.Caller();
            if (caller.Role == Role.Staff && community is not null && community != caller.Scope)
            {
                return Problems.Forbidden("this community is outside your scope", "无权查看其他社区的工作人员");
            }

            var scope = caller.Role == Role.Staff ? caller.Scope : community;
            return TypedResults.Ok<IReadOnlyList<StaffView>>([.. accounts.List(scope).Select(m => View(StaffAccounts.MemberOf(m), accounts.Locked(m)))]);
        }).Allow(Role.Admin, Role.Staff).ProducesProblems(503).WithTags("Staff");

        api.MapPost("/staff/{id}/password", Results<Ok<StaffView>, ProblemHttpResult> (string id, PasswordBody body, HttpContext http, StaffAccounts accounts) =>
        {
            var caller = http.Caller();
            if (!caller.Can(StaffRole.Manager))
            {
                return NotManager();
            }

            if (accounts.Find(id) is not { } account)
            {
                return Problems.NotFound("id", $"no staff account '{id}'", $"工号 '{id}' 不存在");
            }

            if (Guard.Community(caller, account.Community) is { } forbidden)
            {
                return forbidden;
            }

            if (StaffAccounts.PasswordProblem(body.Password) is { } bad)
            {
                return Problems.BadRequest(bad.Field, bad.Message, bad.MessageZh);
            }

            var changed = accounts.SetPassword(id, body.Password!);
            return changed is null
                ? Problems.NotFound("id", $"no staff account '{id}'", $"工号 '{id}' 不存在")
                : TypedResults.Ok(View(StaffAccounts.MemberOf(changed), locked: false));
        }).Allow(Role.Admin, Role.Staff)
            // The idempotency store keeps a fast SHA-256 of each body as its fingerprint: a password must not be in one.
            .Idempotency(IdempotencyPolicy.Exempt, "the body carries a password, whose fast hash must not be stored; setting the same password twice is harmless")
            .ProducesProblems(403, 404, 503).WithTags("Staff");

        // 401 for a wrong id or password (the same for both), 403 while locked: as the kiosk's card sign-in.
        api.MapPost("/staff-sessions", async Task<Results<Ok<StaffSessionView>, ProblemHttpResult>> (StaffSignInBody body, HttpContext http, StaffSignIn signIn) =>
        {
            if (string.IsNullOrEmpty(body.Id) || string.IsNullOrEmpty(body.Password))
            {
                return Problems.BadRequest(string.IsNullOrEmpty(body.Id) ? "id" : "password", "staff id and password are required", "请输入工号和密码");
            }

            // Past the policy's bounds no password can be right: refuse without the PBKDF2 work, as a wrong one.
            var (member, token, problem) = await signIn.SignInAsync(body.Id.Length > 32 ? string.Empty : body.Id,
                body.Password.Length > StaffAccounts.MaxPassword ? string.Empty : body.Password, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            http.Response.Cookies.Append(StaffSessions.Cookie, token!, StaffSessions.CookieOptions(http.Request));
            return TypedResults.Ok(new StaffSessionView(View(member!, locked: false), (int)StaffSessions.IdleTimeout.TotalSeconds));
        }).Anonymous().Idempotency(IdempotencyPolicy.Exempt, "a sign-in answers a new session cookie, which must never be stored")
            .ProducesProblems(401, 403, 503).WithTags("Staff");

        api.MapGet("/staff-sessions/current", Results<Ok<StaffSessionView>, ProblemHttpResult> (HttpContext http) =>
            http.Caller().Member is { } member
                ? TypedResults.Ok(new StaffSessionView(View(member, locked: false), (int)StaffSessions.IdleTimeout.TotalSeconds))
                : NotSignedIn())
            .Allow(Role.Staff).ProducesProblems(503).WithTags("Staff");

        api.MapDelete("/staff-sessions/current", (HttpContext http, StaffSessions sessions) =>
        {
            if (http.Request.Cookies[StaffSessions.Cookie] is { Length: > 0 } token)
            {
                sessions.Close(token);
            }

            http.Response.Cookies.Delete(StaffSessions.Cookie, StaffSessions.CookieOptions(http.Request));
            return TypedResults.NoContent();
        }).Allow(Role.Staff).Idempotency(IdempotencyPolicy.Exempt, "signing out is idempotent by nature: a repeat finds the session gone and is asked to sign in")
            .WithTags("Staff");
    }

    private static StaffView View(StaffMember m, bool locked) => new(m.Id, m.Name, m.Role.ToString().ToLowerInvariant(), m.Community, locked);

    private static ProblemHttpResult NotManager() =>
        Problems.Forbidden("only a manager (or the admin) may manage staff accounts", "只有管理员角色可以管理工作人员账号");

    private static ProblemHttpResult NotSignedIn() =>
        Problems.Unauthorized("no staff member is signed in: a staff key is a system key, not a person", "未登录: 请用工号和密码登录");
}

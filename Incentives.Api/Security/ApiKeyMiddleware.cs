using Incentives.Api.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Incentives.Api.Security;

/// <summary>
/// Who is calling, for every endpoint that declares its roles with <see cref="Access.Allow{TBuilder}"/>: runs after
/// routing, so the endpoint's metadata decides, not the path's spelling (<c>/API/V1/…</c> is the same endpoint). The
/// key is hashed once and looked up in memory (<see cref="ApiStore.FindKey"/>); a kiosk may add
/// <c>X-Resident-Session</c>, resolved in memory too. A request without <c>X-Api-Key</c> may instead carry a staff
/// member's session cookie (<see cref="StaffSessions"/>, also in memory): the caller is then that person, with the
/// person's id as key id. Nothing is answered here: the rate limiter next partitions by the key found (unknown and
/// missing keys share one small bucket, as do the routes that need no key, <see cref="Access.Anonymous{TBuilder}"/>),
/// then <see cref="AccessMiddleware"/> answers 401 or 403. So a request the limiter refuses has cost no database work.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next)
{
    public const string KeyHeader = "X-Api-Key";
    public const string SessionHeader = "X-Resident-Session";

    public Task InvokeAsync(HttpContext context, ApiStore store, KioskSessions sessions, StaffSessions staff, IncentivesEngine engine)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<AllowMetadata>() is not null)
        {
            context.Items[typeof(Authentication)] = Authenticate(context, store, sessions, staff, engine);
        }
        else if (metadata?.GetMetadata<AnonymousMetadata>() is not null)
        {
            // Nobody to identify (a sign-in): counted in the anonymous bucket, so password guessing is slow.
            context.Items[typeof(Authentication)] = new Authentication(null, null, null);
        }

        return next(context);
    }

    private static Authentication Authenticate(HttpContext context, ApiStore store, KioskSessions sessions, StaffSessions staff, IncentivesEngine engine)
    {
        var key = context.Request.Headers[KeyHeader].ToString();
        Caller caller;
        if (key.Length == 0)
        {
            if (context.Request.Cookies[StaffSessions.Cookie] is not { Length: > 0 } token)
            {
                return new(null, null, Problems.Unauthorized("the X-Api-Key header is missing", "缺少 X-Api-Key 请求头"));
            }

            // A token is 64 hex characters; anything much longer is not one.
            if (token.Length > 128 || staff.Resolve(token) is not { } member)
            {
                // The browser drops the dead cookie, so the desk's next request is a plain "sign in".
                context.Response.Cookies.Delete(StaffSessions.Cookie, StaffSessions.CookieOptions(context.Request));
                return new(null, null, Problems.Make(StatusCodes.Status401Unauthorized, "staff-session-expired",
                    "the staff session is unknown or has expired; sign in again", "登录已超时, 请重新登录"));
            }

            caller = new Caller(member.Id, Role.Staff, member.Community, Member: member);
        }
        else if (key.Length > 256 || store.FindKey(key) is not { } found)
        {
            // A key is 32 characters; anything much longer is not one, and is not worth hashing.
            return new(null, null, Problems.Unauthorized("unknown or revoked API key", "API 密钥未知或已吊销"));
        }
        else
        {
            caller = found;
        }

        var session = context.Request.Headers[SessionHeader].ToString();
        if (session.Length == 0)
        {
            return new(caller, caller.KeyId, null);
        }

        if (caller.Role != Role.Kiosk || session.Length > 128 || sessions.Resolve(session, caller.Scope) is not var (resident, ended))
        {
            return new(null, caller.KeyId, Problems.Unauthorized("the resident session is unknown or has expired; sign in again", "居民登录已失效, 请重新刷卡登录"));
        }

        // A resident deactivated while signed in: the session ends here and this call, and every later one with it, says
        // why. One read of the resident, which the endpoint's own scope check makes anyway; only signed-in kiosk calls pay it.
        if (ended || engine.GetResident(resident) is not { Status: Ledger.ResidentStatus.Active })
        {
            sessions.End(session);
            return new(null, caller.KeyId, KioskSignIn.Inactive());
        }

        return new(caller with { Resident = resident }, caller.KeyId, null);
    }
}

/// <summary>What <see cref="ApiKeyMiddleware"/> established: the caller, or the 401 to answer; and the key id the rate
/// limiter counts against (null for a missing or unknown key).</summary>
internal sealed record Authentication(Caller? Caller, string? KeyId, ProblemHttpResult? Problem);

/// <summary>Answers 401 (no caller) or 403 (a role the endpoint does not allow) before the idempotency middleware and
/// the endpoint run, so a partner posting to a write route gets 403, not a 400 about a missing Idempotency-Key.</summary>
internal sealed class AccessMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<AllowMetadata>() is not { } allow)
        {
            await next(context);
            return;
        }

        var authentication = context.Items[typeof(Authentication)] as Authentication;
        if (authentication?.Caller is not { } caller)
        {
            await Problems.Write(context, authentication?.Problem ?? Problems.Unauthorized("an X-Api-Key header with a known key is required"));
            return;
        }

        if (!allow.Roles.Contains(caller.Role))
        {
            await Problems.Write(context, Access.Refuse(caller));
            return;
        }

        context.Items[typeof(Caller)] = caller;
        await next(context);
    }
}

/// <summary>Endpoint metadata: the roles that may call the endpoint. Its presence makes the endpoint need a key.</summary>
/// <param name="Roles">The roles.</param>
internal sealed record AllowMetadata(IReadOnlyList<Role> Roles);

/// <summary>Endpoint metadata: the route needs no key (staff sign-in) but is rate-limited with the requests that have
/// none.</summary>
internal sealed record AnonymousMetadata;

/// <summary>Role checks on endpoints: <c>.Allow(Role.Admin, Role.Staff)</c> makes the endpoint need a known key of
/// one of these roles (401 without, 403 with another role).</summary>
internal static class Access
{
    /// <summary>The caller <see cref="AccessMiddleware"/> let through.</summary>
    /// <exception cref="InvalidOperationException">The endpoint has no <see cref="Allow{TBuilder}"/>: a bug.</exception>
    public static Caller Caller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new InvalidOperationException($"{context.Request.Path}: no caller; the endpoint needs .Allow(…)");

    /// <remarks>The route may then answer 401, 429 and, unless every role may call it, 403; a route a kiosk may call
    /// answers 403 <c>resident-inactive</c> to the session of a resident deactivated since signing in.</remarks>
    public static TBuilder Allow<TBuilder>(this TBuilder builder, params Role[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowMetadata(roles))
            .ProducesProblems(Enum.GetValues<Role>().All(roles.Contains) && !roles.Contains(Role.Kiosk)
                ? [StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests]
                : [StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests])
            // Defence in depth, should the middleware ever be left out or reordered: never a 500 for want of a caller.
            .AddEndpointFilter(async (ctx, next) =>
                ctx.HttpContext.Items[typeof(Caller)] is not Caller caller ? Problems.Unauthorized("an X-Api-Key header with a known key is required")
                : roles.Contains(caller.Role) ? await next(ctx)
                : Refuse(caller));

    /// <summary>The route needs no key, and shares the rate limit of requests without one: it may answer 429.</summary>
    public static TBuilder Anonymous<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnonymousMetadata()).ProducesProblems(StatusCodes.Status429TooManyRequests);

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refuse(Caller caller) =>
        Problems.Forbidden($"a {caller.Role.ToString().ToLowerInvariant()} key may not use this route", "此密钥的角色不能使用该接口");
}

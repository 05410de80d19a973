namespace Incentives.Api.Security;

/// <summary>Every call under <c>/api/</c> needs a known, unrevoked <c>X-Api-Key</c>: 401 otherwise. A kiosk may add
/// <c>X-Resident-Session</c>; an unknown or lapsed session is a 401 too, so the kiosk knows to sign the resident in again.</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next)
{
    public const string KeyHeader = "X-Api-Key";
    public const string SessionHeader = "X-Resident-Session";

    public async Task InvokeAsync(HttpContext context, ApiStore store, KioskSessions sessions)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var key = context.Request.Headers[KeyHeader].ToString();
        var doc = key.Length == 0 ? null : store.Keys.FindOne(k => k.Hash == Secrets.HashKey(key) && !k.Revoked);
        if (doc is null)
        {
            await Problems.Write(context, Problems.Unauthorized(key.Length == 0 ? "the X-Api-Key header is missing" : "unknown or revoked API key"));
            return;
        }

        var caller = new Caller(doc.Id, (Role)doc.Role, doc.Scope);
        var session = context.Request.Headers[SessionHeader].ToString();
        if (session.Length > 0)
        {
            if (caller.Role != Role.Kiosk || sessions.Resolve(session, caller.Scope) is not { } resident)
            {
                await Problems.Write(context, Problems.Unauthorized("the resident session is unknown or has expired; sign in again"));
                return;
            }

            caller = caller with { Resident = resident };
        }

        context.Items[typeof(Caller)] = caller;
        await next(context);
    }
}

/// <summary>Role checks on endpoints: <c>.Allow(Role.Admin, Role.Staff)</c> answers 403 to any other role.</summary>
internal static class Access
{
    public static Caller Caller(this HttpContext context) => (Caller)context.Items[typeof(Caller)]!;

    public static TBuilder Allow<TBuilder>(this TBuilder builder, params Role[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (ctx, next) =>
        {
            var caller = ctx.HttpContext.Caller();
            return roles.Contains(caller.Role)
                ? await next(ctx)
                : Problems.Forbidden($"a {caller.Role.ToString().ToLowerInvariant()} key may not use this route");
        });
}

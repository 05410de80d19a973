using Incentives.Api.Security;
using Incentives.Ledger;
using Incentives.Mall;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Incentives.Api.Endpoints;

/// <summary>Scope checks after the role check: staff see their community, a kiosk its store and the resident signed
/// in at it, a partner only what credit routes give it. Every read of a resident's data by staff or a partner is
/// written to the access log.</summary>
internal sealed class Guard(IncentivesEngine engine, ApiStore api, IClock clock)
{
    public (Resident? Resident, ProblemHttpResult? Problem) Resident(Caller caller, string id, string what, bool read = true)
    {
        if (!ResidentId.TryParse(id, out _) || engine.GetResident(new ResidentId(id)) is not { } resident)
        {
            return (null, Problems.NotFound("residentId", $"no resident '{id}'"));
        }

        var allowed = caller.Role switch
        {
            Role.Admin => true,
            Role.Staff => resident.Community == caller.Community,
            Role.Kiosk => caller.Resident == resident.Id && engine.GetStore(caller.Store!.Value)?.Community == resident.Community,
            _ => false,
        };
        if (!allowed)
        {
            return (null, caller.Role != Role.Kiosk ? Problems.Forbidden("this resident is outside your scope")
                : caller.Resident is null ? Problems.Forbidden("the resident must sign in at this kiosk first", "请先刷卡登录")
                : Problems.Forbidden("a resident signed in at a kiosk may see and act on their own records only", "只能查看或办理本人的事项"));
        }

        if (read && caller.Role is Role.Staff or Role.Partner)
        {
            api.LogAccess(caller, resident.Id.Value, what, clock.GetCurrentInstant());
        }

        return (resident, null);
    }

    public (Store? Store, ProblemHttpResult? Problem) Store(Caller caller, string id)
    {
        if (!StoreId.TryParse(id, out _) || engine.GetStore(new StoreId(id)) is not { } store)
        {
            return (null, Problems.NotFound("storeId", $"no store '{id}'"));
        }

        var allowed = caller.Role switch
        {
            Role.Admin => true,
            Role.Staff => store.Community == caller.Community,
            Role.Kiosk => caller.Store == store.Id,
            _ => false,
        };
        return allowed ? (store, null) : (null, Problems.Forbidden("this store is outside your scope"));
    }

    public static ProblemHttpResult? Community(Caller caller, string id) =>
        caller.Role == Role.Admin || (caller.Role == Role.Staff && caller.Scope == id) ? null : Problems.Forbidden("this community is outside your scope");

    public void LogPartnerRead(Caller caller, ResidentId resident, string what) =>
        api.LogAccess(caller, resident.Value, what, clock.GetCurrentInstant());
}

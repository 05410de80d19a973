using Incentives.Api.Security;
using Incentives.Ledger;
using Incentives.Mall;
using QRCoder;

namespace Incentives.Api.Endpoints;

/// <summary>Read models the kiosk and the staff desk need: offers priced for a resident, resident search, points per
/// category, a resident's reservations and loans, and a pickup code as a QR code.</summary>
internal static class PageEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/stores/{storeId}/offers/{residentId}", (string storeId, string residentId, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (store, problem) = guard.Store(http.Caller(), storeId);
            var (resident, residentProblem) = problem is null ? guard.Resident(http.Caller(), residentId, "offers") : (null, null);
            if ((problem ?? residentProblem) is { } p)
            {
                return p;
            }

            return Results.Ok(new
            {
                items = e.GetOffers(store!.Id, resident!.Id).Select(o => new
                {
                    sku = o.Item.Definition.Sku, nameZh = o.Item.Definition.NameZh, nameEn = o.Item.Definition.NameEn, price = o.Item.Definition.Price,
                    yourPrice = o.YourPrice, tierAllows = o.TierAllows, stock = o.Item.Stock, kind = o.Item.Definition.Kind.ToString().ToLowerInvariant(),
                    minTier = o.Item.Definition.MinTier, loanDays = o.Item.Definition.LoanDays,
                }),
            });
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).WithTags("Pages");

        api.MapGet("/communities/{id}/residents", (string id, string? q, HttpContext http, IncentivesEngine e) =>
        {
            if (Guard.Community(http.Caller(), id) is { } forbidden)
            {
                return forbidden;
            }

            return !CommunityId.TryParse(id, out _) || !e.GetCommunities().Any(c => c.Id.Value == id) ? Problems.NotFound("id", $"no community '{id}'", $"社区 '{id}' 不存在")
                : Results.Ok(e.FindResidents(new CommunityId(id), q).Select(r => new { id = r.Id.Value, displayName = r.DisplayName, status = r.Status.ToString().ToLowerInvariant() }));
        }).Allow(Role.Admin, Role.Staff).WithTags("Pages");

        api.MapGet("/residents/{id}/points-by-category", (string id, int? months, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            if (months is < 1 or > 24)
            {
                return Problems.BadRequest("months", "months is 1–24");
            }

            var (resident, problem) = guard.Resident(http.Caller(), id, "points by category");
            return problem ?? Results.Ok(e.GetPointsByCategory(resident!.Id, months ?? 12));
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).WithTags("Pages");

        api.MapGet("/residents/{id}/reservations", (string id, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "reservations");
            return problem ?? Results.Ok(new
            {
                reservations = e.GetReservations(resident!.Id).Take(50).Select(r => new
                {
                    reservationId = r.Id, storeId = r.Store.Value, pickupCode = r.PickupCode, heldPoints = r.HeldPoints, status = r.Status.ToString().ToLowerInvariant(),
                    expiresAt = r.ExpiresAt, lines = r.Lines,
                }),
                loans = e.GetLoans(resident.Id).Select(l => new { l.Id, storeId = l.Store.Value, l.Sku, l.Quantity, l.DueAt, l.ReturnedAt }),
            });
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).WithTags("Pages");

        api.MapGet("/stores/{storeId}/reservations/{pickupCode}/qr", (string storeId, string pickupCode, HttpContext http, IncentivesEngine e, Guard guard) =>
        {
            var (store, problem) = guard.Store(http.Caller(), storeId);
            if (problem is not null)
            {
                return problem;
            }

            if (e.GetReservation(store!.Id, pickupCode) is not { } r)
            {
                return Problems.NotFound("pickupCode", $"no reservation '{pickupCode}'");
            }

            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode($"incentives:{store.Id}:{r.PickupCode}", QRCodeGenerator.ECCLevel.M);
            return Results.Text(new SvgQRCode(data).GetGraphic(8), "image/svg+xml");
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).WithTags("Pages");
    }
}

using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Ledger;
using Incentives.Mall;
using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;

namespace Incentives.Api.Endpoints;

/// <summary>Read models the kiosk and the staff desk need: offers priced for a resident, resident search, points per
/// category, a resident's reservations and loans, and a pickup code as a QR code.</summary>
internal static class PageEndpoints
{
    private const string QrContentType = "image/svg+xml";

    // Issue 14: an exact card number (E10001) finds its holder first, in this community only.
    private static IEnumerable<Resident> CardHolder(IncentivesEngine e, ApiStore cards, string community, string? q) =>
        q?.Trim().ToUpperInvariant() is { } number && ResidentSheet.CardPattern().IsMatch(number) && cards.FindCard(number) is { Resident.Length: > 0 } card
            && e.GetResident(new ResidentId(card.Resident)) is { } holder && holder.Community.Value == community
            ? [holder]
            : [];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/stores/{storeId}/offers/{residentId}", Results<Ok<OffersView>, ProblemHttpResult> (string storeId, string residentId, HttpContext http,
            IncentivesEngine e, Guard guard) =>
        {
            var (store, problem) = guard.Store(http.Caller(), storeId);
            var (resident, residentProblem) = problem is null ? guard.Resident(http.Caller(), residentId, "offers") : (null, null);
            if ((problem ?? residentProblem) is { } p)
            {
                return p;
            }

            return TypedResults.Ok(new OffersView([.. e.GetOffers(store!.Id, resident!.Id).Select(o => new OfferView(o.Item.Definition.Sku, o.Item.Definition.NameZh,
                o.Item.Definition.NameEn, o.Item.Definition.Price, o.YourPrice, o.TierAllows, o.Item.Stock, o.Item.Definition.Kind.ToString().ToLowerInvariant(),
                o.Item.Definition.MinTier, o.Item.Definition.LoanDays, PictureEndpoints.Url(o.Item.Definition.Picture), MallEndpoints.Limit(o.Item.Definition), o.LimitLeft))]));
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Pages");

        api.MapGet("/communities/{id}/residents", Results<Ok<IReadOnlyList<ResidentSearchItem>>, ProblemHttpResult> (string id, string? q, HttpContext http,
            IncentivesEngine e, ApiStore cards) =>
        {
            if (Guard.Community(http.Caller(), id) is { } forbidden)
            {
                return forbidden;
            }

            return !CommunityId.TryParse(id, out _) || !e.GetCommunities().Any(c => c.Id.Value == id) ? Problems.NotFound("id", $"no community '{id}'", $"社区 '{id}' 不存在")
                : TypedResults.Ok<IReadOnlyList<ResidentSearchItem>>([.. CardHolder(e, cards, id, q).Select(r => (Resident: r, Card: (string?)q!.Trim().ToUpperInvariant()))
                    .Concat(e.FindResidents(new CommunityId(id), q).Select(r => (Resident: r, Card: (string?)null))).DistinctBy(x => x.Resident.Id)
                    .Select(x => new ResidentSearchItem(x.Resident.Id.Value, x.Resident.DisplayName, x.Resident.Status.ToString().ToLowerInvariant(), x.Card))]);
        }).Allow(Role.Admin, Role.Staff).ProducesProblems(403, 404, 503).WithTags("Pages");

        api.MapGet("/residents/{id}/points-by-category", Results<Ok<IReadOnlyList<CategoryPoints>>, ProblemHttpResult> (string id, int? months, HttpContext http,
            IncentivesEngine e, Guard guard) =>
        {
            if (months is < 1 or > 24)
            {
                return Problems.BadRequest("months", "months is 1–24");
            }

            var (resident, problem) = guard.Resident(http.Caller(), id, "points by category");
            return problem is null ? TypedResults.Ok(e.GetPointsByCategory(resident!.Id, months ?? 12)) : problem;
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Pages");

        api.MapGet("/residents/{id}/reservations", Results<Ok<ResidentReservationsView>, ProblemHttpResult> (string id, HttpContext http, IncentivesEngine e,
            Guard guard) =>
        {
            var (resident, problem) = guard.Resident(http.Caller(), id, "reservations");
            return problem is null
                ? TypedResults.Ok(new ResidentReservationsView(
                    [.. e.GetReservations(resident!.Id).Take(50).Select(r => new ResidentReservationView(r.Id, r.Store.Value, r.PickupCode, r.HeldPoints,
                        r.Status.ToString().ToLowerInvariant(), r.ExpiresAt, r.Lines))],
                    [.. e.GetLoans(resident.Id).Select(l => new LoanView(l.Id, l.Store.Value, l.Sku, l.Quantity, l.DueAt, l.ReturnedAt))]))
                : problem;
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).ProducesProblems(403, 404, 503).WithTags("Pages");

        api.MapGet("/stores/{storeId}/reservations/{pickupCode}/qr", Results<ContentHttpResult, ProblemHttpResult> (string storeId, string pickupCode, HttpContext http,
            IncentivesEngine e, Guard guard) =>
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
            return TypedResults.Text(new SvgQRCode(data).GetGraphic(8), QrContentType);
        }).Allow(Role.Admin, Role.Staff, Role.Kiosk).Produces<string>(StatusCodes.Status200OK, QrContentType).ProducesProblems(403, 404, 503).WithTags("Pages");
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Incentives.Tests.Support;
using Xunit.Abstractions;

namespace Incentives.Tests.Api;

/// <summary>The route table: every operation of the OpenAPI document with a real target and who may call it.</summary>
public sealed partial class HostileInputTests
{
    // One line per operation of the OpenAPI document: a real target, a body that would be accepted as it is (so each
    // mutation is the one defect), the idempotency policy, and who may call it on this target. Never sent unmutated.
    private static List<Route> Routes(World w)
    {
        string[] all = Roles;
        string[] staffOfEast = [Admin, StaffEast];
        string[] eastResidentReaders = [Admin, StaffEast, Resident];
        string[] storeReaders = [Admin, StaffEast, Kiosk, Resident];
        string[] credit = [Admin, StaffEast, Partner];
        const string award = """{"residentId":"east-001","indicator":"GOV-01","quantity":1,"evidence":"photo","note":"n","actId":"act-1"}""";
        var item = """{"sku":"RICE","nameZh":"大米 5kg","nameEn":"Rice 5 kg","price":30,"stock":0,"kind":"goods","minTier":"A","perResidentLimit":{"quantity":2,"period":"month"},"tierPrices":[{"tier":"AAA","percent":80}],"overdueIndicator":null,"activeFrom":null,"activeTo":null}""";
        return
        [
            new("GET", "/health", [], null, Idem.None, null),
            new("GET", "/api/v1/catalog", [], null, Idem.None, [Admin, StaffEast, StaffWest, Kiosk, Resident]),
            new("GET", "/api/v1/catalog/{hash}", [("hash", w.CatalogHash)], null, Idem.None, [Admin, StaffEast, StaffWest, Kiosk, Resident]),
            new("POST", "/api/v1/communities", [], """{"id":"hostile-c","name":"新社区","timeZone":"Asia/Shanghai"}""", Idem.Honoured, [Admin]),
            new("GET", "/api/v1/communities", [], null, Idem.None, [Admin, StaffEast, StaffWest]),
            new("POST", "/api/v1/communities/{id}/residents", [("id", "east")], """{"displayName":"新居民","cardNumber":"H00001","pin":"2468","idNumber":"110105199001011234","id":"hostile-r"}""", Idem.Required, staffOfEast),
            new("GET", "/api/v1/communities/{id}/residents", [("id", "east")], null, Idem.None, staffOfEast),
            new("GET", "/api/v1/residents/{id}", [("id", "east-001")], null, Idem.None, eastResidentReaders),
            new("POST", "/api/v1/residents/{id}/consent", [("id", "east-001")], null, Idem.Honoured, eastResidentReaders),
            new("DELETE", "/api/v1/residents/{id}/consent", [("id", "east-001")], null, Idem.Honoured, eastResidentReaders),
            new("GET", "/api/v1/residents/{id}/consent-history", [("id", "east-001")], null, Idem.None, eastResidentReaders),
            new("POST", "/api/v1/awards/preview", [], award, Idem.None, staffOfEast),
            new("POST", "/api/v1/awards", [], award, Idem.Required, staffOfEast),
            new("POST", "/api/v1/entries/{entryId}/reversal", [("entryId", w.EntryId)], """{"reason":"recorded by mistake"}""", Idem.Honoured, staffOfEast),
            new("GET", "/api/v1/residents/{id}/statement", [("id", "east-001")], null, Idem.None, eastResidentReaders),
            new("POST", "/api/v1/residents/{id}/adjustments", [("id", "east-001")], """{"points":5,"reason":"社区议事会决定"}""", Idem.Required, staffOfEast),
            new("POST", "/api/v1/stores", [], """{"id":"hostile-s","communityId":"east","name":"二号店"}""", Idem.Honoured, staffOfEast),
            new("GET", "/api/v1/stores/{storeId}/items", [("storeId", "east-mall")], null, Idem.None, storeReaders),
            new("POST", "/api/v1/stores/{storeId}/items", [("storeId", "east-mall")], item, Idem.Required, staffOfEast),
            new("POST", "/api/v1/stores/{storeId}/items/{sku}/stock", [("storeId", "east-mall"), ("sku", "RICE")], """{"kind":"receive","quantity":1,"reason":"delivery"}""", Idem.Required, staffOfEast),
            new("POST", "/api/v1/stores/{storeId}/reservations", [("storeId", "east-mall")], """{"residentId":"east-001","lines":[{"sku":"TOWEL","quantity":1}]}""", Idem.Required, eastResidentReaders),
            new("GET", "/api/v1/stores/{storeId}/reservations/{pickupCode}", [("storeId", "east-mall"), ("pickupCode", w.PickupCode)], null, Idem.None, storeReaders),
            new("POST", "/api/v1/stores/{storeId}/reservations/{pickupCode}/fulfil", [("storeId", "east-mall"), ("pickupCode", w.PickupCode)], null, Idem.Honoured, staffOfEast),
            new("POST", "/api/v1/stores/{storeId}/reservations/{pickupCode}/cancel", [("storeId", "east-mall"), ("pickupCode", w.PickupCode)], null, Idem.Honoured, eastResidentReaders),
            new("POST", "/api/v1/stores/{storeId}/reservations/{pickupCode}/return", [("storeId", "east-mall"), ("pickupCode", w.PickupCode)], null, Idem.Honoured, staffOfEast),
            new("GET", "/api/v1/stores/{storeId}/reservations/{pickupCode}/qr", [("storeId", "east-mall"), ("pickupCode", w.PickupCode)], null, Idem.None, storeReaders),
            new("GET", "/api/v1/stores/{storeId}/offers/{residentId}", [("storeId", "east-mall"), ("residentId", "east-001")], null, Idem.None, eastResidentReaders),
            new("GET", "/api/v1/residents/{id}/points-by-category", [("id", "east-001")], null, Idem.None, eastResidentReaders),
            new("GET", "/api/v1/residents/{id}/reservations", [("id", "east-001")], null, Idem.None, eastResidentReaders),
            new("GET", "/api/v1/credit/{residentId}", [("residentId", "east-001")], null, Idem.None, [Admin, StaffEast, Partner, Resident]),
            new("POST", "/api/v1/credit/lookup", [], $$"""{"idNumber":"{{w.IdNumber}}"}""", Idem.None, [Admin, Partner]),
            new("GET", "/api/v1/benefits", [], null, Idem.None, all),
            new("POST", "/api/v1/benefits/{code}/eligibility", [("code", "HEATING-SUBSIDY")], """{"residentId":"east-001"}""", Idem.Honoured, credit),
            new("POST", "/api/v1/benefits/{code}/eligibility/batch", [("code", "HEATING-SUBSIDY")], """{"residents":[{"residentId":"east-001"}]}""", Idem.Honoured, credit),
            new("GET", "/api/v1/eligibility-decisions/{id}", [("id", w.DecisionId)], null, Idem.None, credit),
            new("GET", "/api/v1/volunteers/{residentId}/stars", [("residentId", "east-001")], null, Idem.None, eastResidentReaders),
            new("GET", "/api/v1/residents/{id}/credit-records", [("id", "east-001")], null, Idem.None, eastResidentReaders),
            new("POST", "/api/v1/residents/{id}/credit-records", [("id", "east-001")], """{"delta":5,"reason":"commendation","document":"D-1","validFrom":null,"validYears":2}""", Idem.Required, [Admin]),
            new("POST", "/api/v1/residents/{id}/credit-gradings", [("id", "east-001")], """{"tier":"B","years":2,"reason":"determination","document":"G-1"}""", Idem.Required, [Admin]),
            new("POST", "/api/v1/credit-records/{recordId}/repairs", [("recordId", "1")], """{"newDelta":1,"newValidTo":null,"reason":"repair","document":"R-1"}""", Idem.Required, [Admin]),
            new("GET", "/api/v1/communities/{id}/records", [("id", "east")], null, Idem.None, staffOfEast),
            new("GET", "/api/v1/residents/{id}/records", [("id", "east-001")], null, Idem.None, eastResidentReaders),
            new("GET", "/api/v1/records/{recordId}", [("recordId", w.RecordOfFirst)], null, Idem.None, eastResidentReaders),
            new("POST", "/api/v1/records/{recordId}/approval", [("recordId", w.Submitted)], null, Idem.Required, [Admin]),
            new("POST", "/api/v1/records/{recordId}/rejection", [("recordId", w.Submitted)], """{"reason":"no evidence"}""", Idem.Required, [Admin]),
            new("POST", "/api/v1/records/{recordId}/objections", [("recordId", w.Pending)], """{"reason":"not true"}""", Idem.Required, [Admin, StaffEast, Resident]),
            new("POST", "/api/v1/records/{recordId}/decision", [("recordId", w.Objected)], """{"confirm":false,"reason":"objection upheld"}""", Idem.Required, [Admin]),
            new("GET", "/api/v1/communities/{id}/board", [("id", "east")], null, Idem.None, [Admin, StaffEast, Kiosk, Resident]),
            new("GET", "/api/v1/board/{id}", [("id", "east")], null, Idem.None, null),
            new("POST", "/api/v1/residents/{id}/appeals", [("id", "east-001")], $$"""{"entryId":null,"creditRecordId":{{w.NegativeCredit}},"reason":"not me"}""", Idem.Required, eastResidentReaders),
            new("GET", "/api/v1/residents/{id}/appeals", [("id", "east-001")], null, Idem.None, eastResidentReaders),
            new("GET", "/api/v1/communities/{id}/appeals", [("id", "east")], null, Idem.None, staffOfEast),
            new("POST", "/api/v1/appeals/{appealId}/decision", [("appealId", w.OpenAppeal)], """{"outcome":"upheld","reducedTo":null,"reason":"stands"}""", Idem.Required, [Admin]),
            new("POST", "/api/v1/kiosk/sessions", [], $$"""{"cardNumber":"{{w.CardNumber}}","pin":"{{w.Pin}}"}""", Idem.None, [Kiosk, Resident]),
            new("DELETE", "/api/v1/kiosk/sessions/current", [], null, Idem.None, [Kiosk, Resident]),
            new("POST", "/api/v1/keys", [], """{"role":"partner","scope":"hostile"}""", Idem.None, [Admin]),
            new("DELETE", "/api/v1/keys/{id}", [("id", w.KeyToKeep)], null, Idem.None, [Admin]),
            new("POST", "/api/v1/staff", [], """{"id":"hostile-staff","name":"新同事","role":"recorder","community":"east","password":"a-long-password"}""", Idem.None, staffOfEast),
            new("GET", "/api/v1/staff", [], null, Idem.None, [Admin, StaffEast, StaffWest]),
            new("POST", "/api/v1/staff/{id}/password", [("id", "east-recorder")], """{"password":"a-long-password"}""", Idem.None, staffOfEast),
            // No key: only what needs no caller is sent (limits, methods); a staff key is no person, so it is refused "current".
            new("POST", "/api/v1/staff-sessions", [], $$"""{"id":"east-recorder","password":"{{w.StaffPassword}}"}""", Idem.None, null),
            new("GET", "/api/v1/staff-sessions/current", [], null, Idem.None, [StaffEast, StaffWest]),
            new("DELETE", "/api/v1/staff-sessions/current", [], null, Idem.None, [StaffEast, StaffWest]),
            new("POST", "/api/v1/admin/backups", [], null, Idem.Honoured, [Admin]),
            new("GET", "/api/v1/admin/verify", [], null, Idem.None, [Admin]),
            // Issue 14. The PIN routes take no Idempotency-Key (their answer carries a PIN shown once); the import is
            // multipart (no JSON body to mutate here) and idempotent by the file's hash.
            new("GET", "/api/v1/residents/{id}/card", [("id", "east-001")], null, Idem.None, staffOfEast),
            new("POST", "/api/v1/residents/{id}/card", [("id", "east-001")], """{"cardNumber":"H90001"}""", Idem.None, staffOfEast),
            new("POST", "/api/v1/residents/{id}/pin", [("id", "east-001")], null, Idem.None, staffOfEast),
            new("POST", "/api/v1/residents/{id}/card/unlock", [("id", "east-001")], null, Idem.Honoured, staffOfEast),
            new("PUT", "/api/v1/residents/{id}/status", [("id", "east-001")], """{"status":"active"}""", Idem.Honoured, staffOfEast),
            new("GET", "/api/v1/residents/{id}/profile", [("id", "east-001")], null, Idem.None, staffOfEast),
            new("PUT", "/api/v1/residents/{id}/profile", [("id", "east-001")], """{"building":"1号楼","grid":"第一网格","phone":"13812345678"}""", Idem.Honoured, staffOfEast),
            new("DELETE", "/api/v1/residents/{id}/profile", [("id", "east-001")], null, Idem.Honoured, staffOfEast),
            new("POST", "/api/v1/communities/{id}/imports", [("id", "east")], null, Idem.None, staffOfEast),
            new("GET", "/api/v1/communities/{id}/residents/export", [("id", "east")], null, Idem.None, staffOfEast),
            // Goods: the stock journal; pictures are uploaded as multipart (idempotent by content) and served without a key.
            new("GET", "/api/v1/stores/{storeId}/items/{sku}/stock-changes", [("storeId", "east-mall"), ("sku", "RICE")], null, Idem.None, staffOfEast),
            new("POST", "/api/v1/stores/{storeId}/pictures", [("storeId", "east-mall")], null, Idem.None, staffOfEast),
            new("GET", "/api/v1/pictures/{pictureId}", [("pictureId", new string('a', 64))], null, Idem.None, null),
        ];
    }

    private sealed record Route(string Method, string Template, (string Name, string Value)[] Params, string? Body, Idem Idem, string[]? Allowed)
    {
        public string Operation => $"{Method} {Template}";

        public string[] Refused => Allowed is null ? [] : [.. Roles.Except(Allowed)];

        public string Path(string? name = null, string? value = null) =>
            Params.Aggregate(Template, (p, x) => p.Replace("{" + x.Name + "}", x.Name == name ? value : Uri.EscapeDataString(x.Value), StringComparison.Ordinal));

        // Static segments in capitals, values as they are: the same endpoint and target, spelled otherwise.
        public string MixedCasePath() =>
            string.Join('/', Template.Split('/').Select(s => s.StartsWith('{') ? Uri.EscapeDataString(Params.First(p => "{" + p.Name + "}" == s).Value) : s.ToUpperInvariant()));
    }
}

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

/// <summary>
/// Issue 11, finding 8: more than 10,000 hostile requests across every route of the OpenAPI document, against the real
/// process. Every one of them must be refused: no 2xx, no 5xx, every answer a problem document with <c>type</c>,
/// <c>code</c> and <c>messageZh</c>, and the state (balances, statements, reservations, stock, communities, a key)
/// exactly as before. The body mutations come from the OpenAPI schemas, so a new field is attacked without editing
/// this file; the route table below must name every operation of the document (the test fails otherwise), because
/// only it knows a real target and who may call.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const string Admin = "admin", StaffEast = "staffEast", StaffWest = "staffWest", Kiosk = "kiosk", Resident = "resident", Partner = "partner";
    private const string NoKey = "none", UnknownKey = "unknown", RevokedKey = "revoked", BadSession = "badSession";

    private static readonly string[] Roles = [Admin, StaffEast, StaffWest, Kiosk, Resident, Partner];
    private static readonly string[] AllMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private enum Idem
    {
        None,
        Honoured,
        Required,
    }

    [Fact]
    public async Task EveryRoute_TenThousandHostileRequests_AreRefusedAsProblemsAndChangeNothing()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var keys = await DemoService.ReadKeysAsync(service);
        var world = await World.CreateAsync(service, keys.RootElement);
        using var swagger = JsonDocument.Parse(await service.Http.GetStringAsync("/swagger/v1/swagger.json"));
        var routes = Routes(world);
        var operations = swagger.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(operations, routes.Select(r => r.Operation).Order(StringComparer.Ordinal).ToList());

        var before = await world.DigestAsync();
        var requests = new Generator(world, swagger.RootElement, routes).All().ToList();
        var clock = Stopwatch.StartNew();
        var results = await SendAllAsync(service, requests);
        clock.Stop();
        var after = await world.DigestAsync();

        var statuses = results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        var accepted = results.Where(r => r.Status is > 0 and < 400).ToList();
        var serverErrors = results.Where(r => r.Status >= 500).ToList();
        var notProblems = results.Where(r => r.Status >= 400 && !r.Problem).ToList();
        // RFC 9457: a problem type has one title, whichever route or layer answers it.
        var titles = results.Where(r => r.Problem).Select(r => (Type: JsonMember(r.Body, "type"), Title: JsonMember(r.Body, "title")))
            .Where(x => x.Type is not null && x.Title is not null).Distinct().GroupBy(x => x.Type)
            .Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(" | ", g.Select(x => x.Title))}").ToList();
        var transport = results.Where(r => r.Status == 0).ToList();
        output.WriteLine($"COUNT: hostile requests {results.Count}, 5xx {serverErrors.Count}, accepted {accepted.Count}, not problem+json {notProblems.Count}, "
            + $"transport errors {transport.Count}, routes {routes.Count}, in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine("statuses: " + string.Join(", ", statuses));
        foreach (var r in serverErrors.Concat(accepted).Concat(notProblems).Concat(transport).Take(30))
        {
            output.WriteLine($"  {r.Status} {r.What}: {r.Body}");
        }

        Assert.True(results.Count >= 10_000, $"only {results.Count} requests");
        Assert.Empty(serverErrors);
        Assert.Empty(accepted);
        Assert.Empty(notProblems);
        Assert.Empty(titles);
        Assert.Empty(transport);
        Assert.Equal(before, after);
    }

    private static async Task<List<Result>> SendAllAsync(ServiceProcess service, List<Hostile> requests)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 16, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var results = new ConcurrentBag<Result>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (hostile, ct) =>
        {
            using var request = hostile.Build(service.BaseUrl);
            try
            {
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                // A preview answers its decision, refused or not, as 200: a refused one is a refusal.
                var status = (int)response.StatusCode == 200 && hostile.What.StartsWith("POST /api/v1/awards/preview ", StringComparison.Ordinal)
                    && body.Contains("\"status\":\"refused\"", StringComparison.Ordinal) ? 422 : (int)response.StatusCode;
                results.Add(new Result(hostile.What, status, status == 422 && (int)response.StatusCode == 200 || IsProblem(response, body), body.Length > 200 ? body[..200] : body));
            }
            catch (HttpRequestException e)
            {
                results.Add(new Result(hostile.What, 0, false, e.ToString()));
            }
        });
        return [.. results];
    }

    // The body is kept to its first 200 characters, where type and title come first.
    private static string? JsonMember(string body, string name) =>
        System.Text.RegularExpressions.Regex.Match(body, $"\"{name}\":\"(?<v>[^\"]*)\"") is { Success: true } m ? m.Groups["v"].Value : null;

    private static bool IsProblem(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return false;
        }

        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return new[] { "type", "code", "messageZh" }.All(m => root.TryGetProperty(m, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0);
        }
        catch (JsonException)
        {
            return false;
        }
    }

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

    private sealed record Hostile(string What, Func<string, HttpRequestMessage> Build);

    private sealed record Result(string What, int Status, bool Problem, string Body);

    /// <summary>The demo data plus the few things a hostile request needs a real target for.</summary>
    private sealed class World
    {
        private readonly ServiceProcess _service;

        private World(ServiceProcess service) => _service = service;

        public Dictionary<string, (string? Key, string? Session)> Callers { get; } = [];

        public string CatalogHash { get; private set; } = string.Empty;

        public string EntryId { get; private set; } = string.Empty;

        public string PickupCode { get; private set; } = string.Empty;

        public string DecisionId { get; private set; } = string.Empty;

        public string KeyToKeep { get; private set; } = string.Empty;

        public string KeptKey { get; private set; } = string.Empty;

        public string IdNumber { get; private set; } = string.Empty;

        public string CardNumber { get; private set; } = string.Empty;

        public string Pin { get; private set; } = string.Empty;

        public string StaffPassword { get; private set; } = string.Empty;

        public List<string> Residents { get; } = [];

        /// <summary>Governance targets of resident east-001 (records in each state, a negative credit record, an open appeal).</summary>
        public string RecordOfFirst { get; private set; } = string.Empty;

        public string Submitted { get; private set; } = string.Empty;

        public string Pending { get; private set; } = string.Empty;

        public string Objected { get; private set; } = string.Empty;

        public string NegativeCredit { get; private set; } = string.Empty;

        public string OpenAppeal { get; private set; } = string.Empty;

        public static async Task<World> CreateAsync(ServiceProcess service, JsonElement keys)
        {
            var w = new World(service);
            var admin = keys.GetProperty("admin").GetString()!;
            var east = keys.GetProperty("communities")[0];
            var kiosk = east.GetProperty("stores")[0].GetProperty("kioskKey").GetString()!;
            var resident = east.GetProperty("residents")[0];
            w.IdNumber = resident.GetProperty("idNumber").GetString()!;
            w.CardNumber = resident.GetProperty("cardNumber").GetString()!;
            w.Pin = resident.GetProperty("pin").GetString()!;
            w.StaffPassword = east.GetProperty("staff")[0].GetProperty("password").GetString()!;
            w.Residents.AddRange(keys.GetProperty("communities").EnumerateArray().SelectMany(c => c.GetProperty("residents").EnumerateArray()).Select(r => r.GetProperty("id").GetString()!));
            w.Callers[Admin] = (admin, null);
            w.Callers[StaffEast] = (east.GetProperty("staffKey").GetString(), null);
            w.Callers[StaffWest] = (keys.GetProperty("communities")[1].GetProperty("staffKey").GetString(), null);
            w.Callers[Kiosk] = (kiosk, null);
            w.Callers[Partner] = (keys.GetProperty("partner").GetString(), null);
            w.Callers[NoKey] = (null, null);
            w.Callers[UnknownKey] = ("k" + Guid.NewGuid().ToString("N"), null);
            w.Callers[BadSession] = (kiosk, Guid.NewGuid().ToString("N"));

            using var session = await w.Json(HttpMethod.Post, "/api/v1/kiosk/sessions", kiosk, new { cardNumber = w.CardNumber, pin = w.Pin });
            w.Callers[Resident] = (kiosk, session.RootElement.GetProperty("token").GetString());
            using var health = await w.Json(HttpMethod.Get, "/health", null);
            w.CatalogHash = health.RootElement.GetProperty("catalogHash").GetString()!;
            using var statement = await w.Json(HttpMethod.Get, "/api/v1/residents/east-001/statement?pageSize=1", admin);
            w.EntryId = statement.RootElement.GetProperty("items")[0].GetProperty("entryId").GetInt64().ToString(CultureInfo.InvariantCulture);
            using var reservation = await w.Json(HttpMethod.Post, "/api/v1/stores/east-mall/reservations", admin,
                new { residentId = "east-001", lines = new[] { new { sku = "SOAP", quantity = 1 } } }, "hostile-setup");
            w.PickupCode = reservation.RootElement.GetProperty("pickupCode").GetString()!;
            using var decision = await w.Json(HttpMethod.Post, "/api/v1/benefits/HEATING-SUBSIDY/eligibility", admin, new { residentId = "east-001" });
            w.DecisionId = decision.RootElement.GetProperty("decisionId").GetString()!;
            // A submitted, a pending and an objected record of east-001 (submitted by the staff key, reviewed by admin), a
            // negative manual credit record and an open appeal on another.
            var staffEast = w.Callers[StaffEast].Key;
            async Task<string> Record(string key)
            {
                using var made = await w.Json(HttpMethod.Post, "/api/v1/awards", staffEast, new { residentId = "east-001", indicator = "GOV-02", quantity = 1 }, key);
                return made.RootElement.GetProperty("recordId").GetInt64().ToString(CultureInfo.InvariantCulture);
            }

            w.Submitted = await Record("hostile-submitted");
            w.RecordOfFirst = w.Submitted;
            w.Pending = await Record("hostile-pending");
            (await w.Json(HttpMethod.Post, $"/api/v1/records/{w.Pending}/approval", admin, null, "hostile-approve")).Dispose();
            w.Objected = await Record("hostile-objected");
            (await w.Json(HttpMethod.Post, $"/api/v1/records/{w.Objected}/approval", admin, null, "hostile-approve-2")).Dispose();
            (await w.Json(HttpMethod.Post, $"/api/v1/records/{w.Objected}/objections", admin, new { reason = "check it" }, "hostile-object")).Dispose();
            async Task<string> NegativeCredit(string key)
            {
                using var made = await w.Json(HttpMethod.Post, "/api/v1/residents/east-001/credit-records", admin, new { delta = -10, reason = "determination", document = "D-9" }, key);
                return made.RootElement.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
            }

            w.NegativeCredit = await NegativeCredit("hostile-credit");
            using var appeal = await w.Json(HttpMethod.Post, "/api/v1/residents/east-001/appeals", admin,
                new { entryId = (long?)null, creditRecordId = long.Parse(await NegativeCredit("hostile-credit-2"), CultureInfo.InvariantCulture), reason = "not me" }, "hostile-appeal");
            w.OpenAppeal = appeal.RootElement.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
            using var kept = await w.Json(HttpMethod.Post, "/api/v1/keys", admin, new { role = "partner", scope = "kept" });
            (w.KeyToKeep, w.KeptKey) = (kept.RootElement.GetProperty("id").GetString()!, kept.RootElement.GetProperty("key").GetString()!);
            using var revoked = await w.Json(HttpMethod.Post, "/api/v1/keys", admin, new { role = "partner", scope = "revoked" });
            w.Callers[RevokedKey] = (revoked.RootElement.GetProperty("key").GetString(), null);
            using var revoke = await DemoService.Send(service.Http, HttpMethod.Delete, "/api/v1/keys/" + revoked.RootElement.GetProperty("id").GetString(), admin);
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
            return w;
        }

        /// <summary>Everything a hostile request could have changed, read as admin (and the kept key still works).</summary>
        public async Task<string> DigestAsync()
        {
            var admin = Callers[Admin].Key;
            var digest = new StringBuilder();
            using var communities = await Json(HttpMethod.Get, "/api/v1/communities", admin);
            digest.AppendLine(communities.RootElement.GetRawText());
            foreach (var community in communities.RootElement.EnumerateArray())
            {
                using var found = await Json(HttpMethod.Get, $"/api/v1/communities/{community.GetProperty("id").GetString()}/residents", admin);
                digest.AppendLine(found.RootElement.GetRawText());
            }

            foreach (var store in new[] { "east-mall", "west-mall" })
            {
                using var items = await Json(HttpMethod.Get, $"/api/v1/stores/{store}/items", admin);
                digest.AppendLine(items.RootElement.GetRawText());
            }

            foreach (var id in Residents)
            {
                using var resident = await Json(HttpMethod.Get, $"/api/v1/residents/{id}", admin);
                using var statement = await Json(HttpMethod.Get, $"/api/v1/residents/{id}/statement?pageSize=500", admin);
                using var reservations = await Json(HttpMethod.Get, $"/api/v1/residents/{id}/reservations", admin);
                digest.AppendLine(resident.RootElement.GetRawText()).AppendLine(statement.RootElement.GetRawText()).AppendLine(reservations.RootElement.GetRawText());
            }

            foreach (var community in new[] { "east", "west" })
            {
                using var records = await Json(HttpMethod.Get, $"/api/v1/communities/{community}/records?status=submitted,pending,objected,confirmed,rejected,voided&limit=500", admin);
                using var appeals = await Json(HttpMethod.Get, $"/api/v1/communities/{community}/appeals?open=false", admin);
                digest.AppendLine(records.RootElement.GetRawText()).AppendLine(appeals.RootElement.GetRawText());
            }

            using var kept = await DemoService.Send(_service.Http, HttpMethod.Get, "/api/v1/benefits", KeptKey);
            digest.AppendLine("kept key: " + (int)kept.StatusCode);
            return digest.ToString();
        }

        private async Task<JsonDocument> Json(HttpMethod method, string path, string? key, object? body = null, string? idempotencyKey = null)
        {
            using var response = await DemoService.Send(_service.Http, method, path, key, body, idempotencyKey: idempotencyKey);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text);
        }
    }

    /// <summary>The hostile requests: auth, path, query, method and header variants for every route, whole-body and
    /// per-field variants (from the OpenAPI schemas) for every body.</summary>
    private sealed class Generator(World world, JsonElement swagger, List<Route> routes)
    {
        private static readonly string[] PathValues =
        [
            // Not %00: Kestrel refuses a NUL in the path itself, with a bare 400, before any middleware (docs/api.md).
            "does-not-exist", new string('a', 65), "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%C3%28", "%FF%FE%FD", "%01", "%E2%80%AE",
            "%27%20OR%20%271%27%3D%271", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "9223372036854775808", "-1", "%252e%252e%252f", "con", "a%0D%0ASet-Cookie:x",
        ];

        private static readonly string[] IntegerQueries = ["abc", "2147483648", "-2147483649", "1.5", "NaN", "0x10", "0", "-1", "2147483647", "99999999999999999999", "1e3"];

        private static readonly string[] InstantQueries =
            ["9999-12-31T23:59:59Z", "-9999-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "not-a-date", "2026-02-30T00:00:00Z", "2026-01-01", "%00", new string('9', 101)];

        private static readonly string[] ContentTypes = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "image/png"];

        private static readonly string[] WholeBodies =
            ["", "null", "[]", "\"x\"", "42", "true", "{", "{\"a\":", "}", "{}", "{}{}", "[{}]", "{\"a\":1}}", "\uFEFF", "{'a':1}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":.5}"];

        private static readonly string Huge = new('x', 900 * 1024);

        private static readonly string[] Dates = ["9999-12-31T23:59:59Z", "-9999-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "not-a-date", "2026-02-30T00:00:00Z", "2026-13-45T99:99:99Z"];

        private int _keys;

        public IEnumerable<Hostile> All()
        {
            foreach (var route in routes)
            {
                foreach (var h in Auth(route).Concat(Paths(route)).Concat(Queries(route)).Concat(Methods(route)).Concat(Headers(route)).Concat(Bodies(route)))
                {
                    yield return h;
                }
            }
        }

        private IEnumerable<Hostile> Auth(Route r)
        {
            if (r.Allowed is null)
            {
                yield break; // /health is public
            }

            foreach (var caller in r.Refused.Concat([NoKey, UnknownKey, RevokedKey, BadSession]))
            {
                yield return Make($"{r.Operation} as {caller}", r.Method, r.Path(), caller, r.Body, key: true);
                yield return Make($"{r.Operation} mixed case as {caller}", r.Method, r.MixedCasePath(), caller, r.Body, key: true);
            }

            // A valid body naming a resident of another community, from staff who may use the route.
            if (r.Body is { } body && r.Allowed.Contains(StaffEast) && body.Contains("east-001", StringComparison.Ordinal))
            {
                yield return Make($"{r.Operation} for west-001 as staff of east", r.Method, r.Path(), StaffEast, body.Replace("east-001", "west-001", StringComparison.Ordinal), key: true);
            }
        }

        private IEnumerable<Hostile> Paths(Route r)
        {
            foreach (var (name, _) in r.Params)
            {
                foreach (var value in PathValues)
                {
                    yield return Make($"{r.Operation} {name}={value}", r.Method, r.Path(name, value), Admin, r.Body, key: true);
                }
            }

            foreach (var traversal in new[] { "/api/v1/../../etc/passwd", "/api/v1/%2e%2e/%2e%2e/etc/passwd", "/api/v1/..%2f..%2fetc/passwd", "/api//v1//residents", "/api/v1/residents/east-001/..;/..;/keys" })
            {
                yield return Make($"{r.Operation} path {traversal}", r.Method, traversal, Admin, r.Body, key: true);
            }
        }

        private IEnumerable<Hostile> Queries(Route r)
        {
            var parameters = Operation(r).TryGetProperty("parameters", out var p) ? p.EnumerateArray().Where(x => x.GetProperty("in").GetString() == "query") : [];
            foreach (var parameter in parameters)
            {
                var name = parameter.GetProperty("name").GetString()!;
                var values = parameter.GetProperty("schema").GetProperty("type").GetString() == "integer" ? IntegerQueries
                    : name is "asOf" or "from" or "to" ? InstantQueries
                    : ["nope-" + new string('q', 100), new string('q', 900), "%00" + new string('q', 101)];
                if (name == "kind")
                {
                    values = ["nope", "1", "award%00", "AWARD,deduction", .. values];
                }

                foreach (var value in values)
                {
                    foreach (var caller in r.Allowed ?? [Admin])
                    {
                        yield return Make($"{r.Operation} ?{name}={value} as {caller}", r.Method, $"{r.Path()}?{name}={Escape(value)}", caller, r.Body, key: true);
                    }
                }
            }
        }

        private IEnumerable<Hostile> Methods(Route r)
        {
            var defined = swagger.GetProperty("paths").GetProperty(r.Template).EnumerateObject().Select(m => m.Name.ToUpperInvariant()).ToHashSet();
            foreach (var method in AllMethods.Where(m => !defined.Contains(m)))
            {
                yield return Make($"{r.Operation} as {method}", method, r.Path(), Admin, null, key: true);
                yield return Make($"{r.Operation} as {method} with a body", method, r.Path(), Admin, r.Body ?? "{}", key: true);
            }
        }

        private IEnumerable<Hostile> Headers(Route r)
        {
            var path = r.Path();
            yield return Make($"{r.Operation} 40 KiB header", r.Method, path, Admin, r.Body, key: true, headers: [("X-Padding", new string('h', 40 << 10))]);
            yield return Make($"{r.Operation} 120 headers", r.Method, path, Admin, r.Body, key: true, headers: [.. Enumerable.Range(0, 120).Select(i => ($"X-H{i}", "v"))]);
            yield return Make($"{r.Operation} 9 KiB target", r.Method, path + "?pad=" + new string('p', 9 << 10), Admin, r.Body, key: true);
            yield return Make($"{r.Operation} 40 KiB target", r.Method, path + "?pad=" + new string('p', 40 << 10), Admin, r.Body, key: true);
            if (r.Allowed is null)
            {
                yield break;
            }

            yield return Make($"{r.Operation} 12 KiB key", r.Method, path, null, r.Body, key: true, headers: [("X-Api-Key", new string('k', 12 << 10))]);

            yield return Make($"{r.Operation} admin key with a session", r.Method, path, Admin, r.Body, key: true, headers: [("X-Resident-Session", "abc")]);
            yield return Make($"{r.Operation} two keys", r.Method, path, null, r.Body, key: true, headers: [("X-Api-Key", world.Callers[Admin].Key!), ("X-Api-Key", world.Callers[Partner].Key!)]);
            if (r.Idem != Idem.None)
            {
                foreach (var bad in new[] { new string('i', 129), "a b", "tab\there", "\u007f" })
                {
                    yield return Make($"{r.Operation} Idempotency-Key '{bad[..Math.Min(bad.Length, 8)]}'", r.Method, path, Admin, r.Body, key: false, headers: [("Idempotency-Key", bad)]);
                }
            }

            if (r.Idem == Idem.Required)
            {
                foreach (var caller in r.Allowed)
                {
                    yield return Make($"{r.Operation} without Idempotency-Key as {caller}", r.Method, path, caller, r.Body, key: false);
                }
            }
        }

        private IEnumerable<Hostile> Bodies(Route r)
        {
            if (r.Body is not { } body || r.Allowed is null)
            {
                yield break;
            }

            var path = r.Path();
            var first = r.Allowed[0];
            foreach (var caller in r.Allowed)
            {
                foreach (var whole in WholeBodies)
                {
                    yield return Make($"{r.Operation} body {whole} as {caller}", r.Method, path, caller, whole, key: true);
                }

                foreach (var type in ContentTypes)
                {
                    yield return Make($"{r.Operation} as {type} as {caller}", r.Method, path, caller, body, key: true, contentType: type);
                }

                yield return Make($"{r.Operation} without a content type as {caller}", r.Method, path, caller, body, key: true, contentType: string.Empty);
                yield return Make($"{r.Operation} deep arrays as {caller}", r.Method, path, caller, Insert(body, new string('[', 5000) + new string(']', 5000)), key: true);
                yield return Make($"{r.Operation} deep objects as {caller}", r.Method, path, caller,
                    Insert(body, string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)), key: true);
                yield return Make($"{r.Operation} duplicate key as {caller}", r.Method, path, caller, DuplicateFirst(body), key: true);

                // Every prefix is malformed JSON, and so is the body with any byte replaced by one that cannot be UTF-8
                // there (0xFF and 0xC0 never are; 0x80 is a stray continuation byte in place of an ASCII one).
                var bytes = Encoding.UTF8.GetBytes(body);
                for (var i = 0; i < bytes.Length; i++)
                {
                    var prefix = bytes[..i];
                    yield return Make($"{r.Operation} first {i} bytes as {caller}", r.Method, path, caller, prefix, key: true);
                    foreach (var bad in bytes[i] < 0x80 ? new byte[] { 0xFF, 0x80, 0xC0 } : [0xFF, 0xC0])
                    {
                        var broken = (byte[])bytes.Clone();
                        broken[i] = bad;
                        yield return Make($"{r.Operation} byte {i}=0x{bad:X2} as {caller}", r.Method, path, caller, broken, key: true);
                    }
                }

                foreach (var (field, mutated) in Mutations(JsonNode.Parse(body)!.AsObject(), Schema(r), string.Empty, caller == first))
                {
                    yield return Make($"{r.Operation} {field} as {caller}", r.Method, path, caller, mutated, key: true);
                }
            }

            var oversized = Insert(body, "\"" + new string('x', (1 << 20) + 1024) + "\"");
            // Each on its own connection, which the server closes after answering 413 without reading the body; with a
            // Content-Length the client waits for 100-continue, so it gets the answer instead of a reset mid-upload.
            yield return Make($"{r.Operation} 1 MiB body", r.Method, path, first, oversized, key: true, headers: [("Expect", "100-continue"), ("Connection", "close")]);
            yield return Make($"{r.Operation} 1 MiB chunked body", r.Method, path, first, oversized, key: true, chunked: true, headers: [("Connection", "close")]);
        }

        // (field, whole body) for each hostile value of each field of the schema, nested objects and array items too.
        private IEnumerable<(string Field, string Body)> Mutations(JsonObject body, JsonElement schema, string prefix, bool expensive)
        {
            foreach (var property in schema.GetProperty("properties").EnumerateObject())
            {
                var name = property.Name;
                var field = prefix + name;
                var s = Resolve(property.Value);
                foreach (var value in Values(s, expensive))
                {
                    var copy = body.DeepClone().AsObject();
                    copy[name] = value?.DeepClone();
                    yield return ($"{field}={Short(value?.ToJsonString() ?? "null")}", copy.ToJsonString());
                }

                var type = s.TryGetProperty("type", out var t) ? t.GetString() : "object";
                if (type == "object" && s.TryGetProperty("properties", out _) && body[name] is JsonObject inner)
                {
                    foreach (var (f, innerBody) in Mutations(inner, s, field + ".", expensive))
                    {
                        var copy = body.DeepClone().AsObject();
                        copy[name] = JsonNode.Parse(innerBody);
                        yield return (f, copy.ToJsonString());
                    }
                }

                if (type == "array" && body[name] is JsonArray { Count: > 0 } array)
                {
                    var items = Resolve(s.GetProperty("items"));
                    foreach (var element in new JsonNode?[] { null, JsonValue.Create("x"), JsonValue.Create(5) })
                    {
                        var copy = body.DeepClone().AsObject();
                        copy[name] = new JsonArray(array[0]!.DeepClone(), element);
                        yield return ($"{field}[1]", copy.ToJsonString());
                    }

                    var many = body.DeepClone().AsObject();
                    many[name] = new JsonArray([.. Enumerable.Range(0, 10_001).Select(_ => array[0]!.DeepClone())]);
                    yield return ($"{field} × 10,001", many.ToJsonString());
                    if (array[0] is JsonObject element0 && items.TryGetProperty("properties", out _))
                    {
                        foreach (var (f, innerBody) in Mutations(element0, items, $"{field}[0].", expensive))
                        {
                            var copy = body.DeepClone().AsObject();
                            copy[name] = new JsonArray(JsonNode.Parse(innerBody));
                            yield return (f, copy.ToJsonString());
                        }
                    }
                }
            }
        }

        // Values that every field of this type must refuse, whatever the route: none of them is merely unusual.
        private static IEnumerable<JsonNode?> Values(JsonElement s, bool expensive)
        {
            var type = s.TryGetProperty("type", out var t) ? t.GetString() : "object";
            var format = s.TryGetProperty("format", out var f) ? f.GetString() : null;
            var nullable = s.TryGetProperty("nullable", out var n) && n.GetBoolean();
            switch (type)
            {
                case "string" when format == "date-time":
                    foreach (var d in Dates)
                    {
                        yield return JsonValue.Create(d);
                    }

                    yield return JsonValue.Create(12345);
                    yield return new JsonObject();
                    break;
                case "string":
                    yield return JsonValue.Create(123);
                    yield return JsonValue.Create(true);
                    yield return new JsonObject();
                    yield return new JsonArray();
                    yield return JsonValue.Create(new string('a', 501));
                    if (expensive)
                    {
                        yield return JsonValue.Create(Huge);
                    }

                    break;
                case "integer" or "number":
                    foreach (var text in new[] { "abc", "NaN", "Infinity", "-Infinity", "1e400", "0x10", "" })
                    {
                        yield return JsonValue.Create(text);
                    }

                    yield return JsonValue.Create(true);
                    yield return new JsonObject();
                    yield return new JsonArray();
                    yield return JsonNode.Parse("1e400");
                    yield return JsonNode.Parse("-1e400");
                    yield return JsonNode.Parse("79228162514264337593543950336");
                    yield return JsonNode.Parse("-9223372036854775809");
                    yield return JsonNode.Parse("9223372036854775808");
                    // A field the document declares signed (a minimum below 0, e.g. a credit delta) may take −1.
                    if (!(s.TryGetProperty("minimum", out var minimum) && minimum.GetDouble() < 0))
                    {
                        yield return JsonValue.Create(-1);
                    }

                    yield return JsonValue.Create(int.MinValue);
                    yield return JsonValue.Create(int.MaxValue);
                    yield return JsonValue.Create(long.MinValue);
                    yield return JsonValue.Create(long.MaxValue);
                    yield return JsonValue.Create(10_000_001);
                    if (type == "integer")
                    {
                        yield return JsonValue.Create(1.5);
                        yield return JsonNode.Parse("2147483648");
                    }

                    if (!nullable)
                    {
                        yield return null;
                    }

                    break;
                case "array":
                    yield return JsonValue.Create("x");
                    yield return JsonValue.Create(5);
                    yield return new JsonObject();
                    yield return new JsonArray((JsonNode?)null);
                    break;
                default:
                    yield return JsonValue.Create("x");
                    yield return JsonValue.Create(5);
                    yield return new JsonArray();
                    break;
            }
        }

        private JsonElement Operation(Route r) => swagger.GetProperty("paths").GetProperty(r.Template).GetProperty(r.Method.ToLowerInvariant());

        private JsonElement Schema(Route r) =>
            Resolve(Operation(r).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));

        private JsonElement Resolve(JsonElement schema) =>
            schema.TryGetProperty("$ref", out var reference)
                ? swagger.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
                : schema.TryGetProperty("allOf", out var all) ? Resolve(all[0]) : schema;

        private Hostile Make(string what, string method, string path, string? caller, object? body, bool key, (string Name, string Value)[]? headers = null,
            string? contentType = null, bool chunked = false)
        {
            var (apiKey, session) = caller is null ? (null, null) : world.Callers[caller];
            var idempotencyKey = key ? "hostile-" + Interlocked.Increment(ref _keys).ToString(CultureInfo.InvariantCulture) : null;
            return new Hostile(what, baseUrl =>
            {
                var request = new HttpRequestMessage(new HttpMethod(method), new Uri(baseUrl + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
                if (apiKey is not null)
                {
                    request.Headers.Add("X-Api-Key", apiKey);
                }

                if (session is not null)
                {
                    request.Headers.Add("X-Resident-Session", session);
                }

                if (idempotencyKey is not null)
                {
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                }

                foreach (var (name, value) in headers ?? [])
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                var bytes = body switch
                {
                    null => null,
                    byte[] b => b,
                    string s => Encoding.UTF8.GetBytes(s),
                    _ => throw new ArgumentException("a body is a string or bytes", nameof(body)),
                };
                if (bytes is not null)
                {
                    request.Content = chunked ? new StreamContent(new UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
                    if (contentType != string.Empty)
                    {
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType ?? "application/json");
                    }
                }

                return request;
            });
        }

        private static string Insert(string body, string value) => "{\"residentId\":" + value + "," + body[1..];

        private static string DuplicateFirst(string body)
        {
            var first = JsonNode.Parse(body)!.AsObject().First();
            return "{\"" + first.Key + "\":" + (first.Value?.ToJsonString() ?? "null") + "," + body[1..];
        }

        private static string Escape(string value) => value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value);

        private static string Short(string text) => text.Length > 60 ? text[..60] + "…" : text;
    }

    /// <summary>A stream whose length is unknown, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

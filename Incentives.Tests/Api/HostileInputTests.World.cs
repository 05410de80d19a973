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

/// <summary>The world the hostile requests are sent into: demo keys, a real target of each kind, and the digest of
/// the state that must not change.</summary>
public sealed partial class HostileInputTests
{
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
}

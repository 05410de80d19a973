using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Incentives.Api.Idempotency;
using Incentives.Api.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Incentives.Tests.Api;

/// <summary>
/// Issue 12, item 6: the OpenAPI document the app serves (<c>/swagger/v1/swagger.json</c>) lists, for every operation,
/// each status it can answer with its schema: a 2xx with a named body (or a 204 without one); every error status as
/// <c>application/problem+json</c> with the ApiProblem schema; 401, 429 and — unless every role may call the route —
/// 403 where a key is needed; 413 and 415 where a body is read; no response without a schema, and no anonymous or
/// empty object anywhere in one; and the <c>Idempotency-Key</c> header exactly where the route's endpoint metadata takes
/// one (required exactly when the policy is Required). The routes' roles and policies are read from the app's own
/// endpoint data source, so a new route is checked without editing this file. That each listed status is the truth is
/// checked against behaviour: every answer of every test on an <see cref="ApiFactory"/> must have a status the
/// document lists for its operation (<see cref="DocumentedStatuses"/>); one test here provokes one of each kind.
/// </summary>
public sealed partial class OpenApiDocumentTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const string ProblemSchema = "#/components/schemas/ApiProblem";
    private const string ProblemContentType = "application/problem+json";

    [Fact]
    public async Task SwaggerJson_EveryOperation_ListsEachStatusWithItsSchema()
    {
        using var anonymous = api.As(null);
        var endpoints = Endpoints();

        using var document = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative)));

        var root = document.RootElement;
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int operations = 0, statuses = 0, errors = 0;
        foreach (var (name, operation) in Operations(root))
        {
            operations++;
            if (!endpoints.TryGetValue(name, out var endpoint))
            {
                problems.Add($"{name}: no endpoint of the app has this method and route");
                continue;
            }

            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            statuses += responses.Count;
            errors += responses.Count(r => !r.Name.StartsWith('2'));
            if (!responses.Any(r => r.Name.StartsWith('2')))
            {
                problems.Add($"{name}: no 2xx response");
            }

            foreach (var response in responses)
            {
                var content = response.Value.TryGetProperty("content", out var c) ? c.EnumerateObject().ToList() : [];
                if (response.Name == "204")
                {
                    problems.AddRange(content.Select(x => $"{name}: 204 has a body ({x.Name})"));
                }
                else if (content.Count == 0)
                {
                    problems.Add($"{name}: {response.Name} has no content, so no schema");
                }

                problems.AddRange(content.Where(x => !x.Value.TryGetProperty("schema", out var schema) || !schema.EnumerateObject().Any())
                    .Select(x => $"{name}: {response.Name} {x.Name} has no schema"));
                if (!response.Name.StartsWith('2')
                    && (content.Select(x => x.Name).SingleOrDefault() != ProblemContentType || !Schemas(response.Value).All(IsProblem)))
                {
                    problems.Add($"{name}: {response.Name} is not {ProblemContentType} with the ApiProblem schema only");
                }
            }

            // Routing answers 415 to a body of another media type; the framework 413 to one over 1 MiB.
            if (operation.TryGetProperty("requestBody", out _))
            {
                problems.AddRange(new[] { "413", "415" }.Where(s => !responses.Any(r => r.Name == s)).Select(s => $"{name}: reads a body but does not list {s}"));
            }

            // A key is required (401), limited (429) and, unless every role may call, refused to the others (403).
            if (endpoint.Metadata.GetMetadata<AllowMetadata>() is { } allow)
            {
                string[] refusals = Enum.GetValues<Role>().All(allow.Roles.Contains) ? ["401", "429"] : ["401", "403", "429"];
                problems.AddRange(refusals.Where(s => !responses.Any(r => r.Name == s)).Select(s => $"{name}: does not list {s}"));
            }

            foreach (var response in responses)
            {
                foreach (var schema in Schemas(response.Value))
                {
                    problems.AddRange(Anonymous(root, schema, $"{name} {response.Name}", seen));
                }
            }
        }

        // Request bodies included: every schema of the document is named after a type, none after an anonymous one.
        problems.AddRange(root.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(x => !TypeName().IsMatch(x.Name)).Select(x => $"components: {x.Name} is not named after a type (anonymous?)"));
        output.WriteLine($"COUNT: operations {operations}, statuses {statuses} ({statuses - errors} success, {errors} error), schemas checked {seen.Count}");
        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }

        Assert.Empty(problems);
        Assert.True(operations >= 40, $"only {operations} operations");
    }

    [Fact]
    public async Task RealAnswers_OfEveryKind_HaveAStatusTheDocumentListsForTheirOperation()
    {
        using var anonymous = api.As(null);
        using var admin = api.As(api.Admin);
        using var staff = api.As(api.Staff(0));
        using var kiosk = api.As(api.Kiosk(0));
        using var partner = api.As(api.Partner);
        var resident = api.Resident(0, 0).GetProperty("id").GetString()!;
        var card = api.Resident(0, 0).GetProperty("cardNumber").GetString()!;
        var community = api.Community(0).GetProperty("id").GetString()!;
        var store = api.Community(0).GetProperty("stores")[0].GetProperty("id").GetString()!;
        var award = new { residentId = resident, indicator = "VOL-01", quantity = 1 };

        // Each answer goes through ProblemCheck, which fails the request if its status is not listed for the operation.
        (string Operation, int Status)[] answers =
        [
            ("GET /api/v1/catalog", await Status(anonymous, HttpMethod.Get, "/api/v1/catalog")),
            ("GET /api/v1/catalog", await Status(partner, HttpMethod.Get, "/api/v1/catalog")),
            ("GET /api/v1/catalog/{hash}", await Status(staff, HttpMethod.Get, "/api/v1/catalog/no-such-hash")),
            ("POST /api/v1/communities", await Status(admin, HttpMethod.Post, "/api/v1/communities", new { id = community, name = "重名" }, "dup-community")),
            ("POST /api/v1/awards", await Status(staff, HttpMethod.Post, "/api/v1/awards", award)),
            ("POST /api/v1/awards", await Status(staff, HttpMethod.Post, "/api/v1/awards", new { residentId = resident, indicator = "GOV-01", quantity = 0 }, "zero")),
            ("POST /api/v1/awards", await Status(staff, HttpMethod.Post, "/api/v1/awards", award, "openapi-award")),
            ("POST /api/v1/awards", await Status(staff, HttpMethod.Post, "/api/v1/awards", award with { quantity = 2 }, "openapi-award")),
            ("POST /api/v1/awards/preview", await Status(staff, HttpMethod.Post, "/api/v1/awards/preview", award with { residentId = "nobody" })),
            ("POST /api/v1/entries/{entryId}/reversal", await Status(staff, HttpMethod.Post, "/api/v1/entries/999999999/reversal", new { reason = "mistake" })),
            ("GET /api/v1/residents/{id}/points-by-category", await Status(staff, HttpMethod.Get, $"/api/v1/residents/{resident}/points-by-category?months=99")),
            ("GET /api/v1/credit/{residentId}", await Status(partner, HttpMethod.Get, "/api/v1/credit/nobody")),
            ("POST /api/v1/benefits/{code}/eligibility", await Status(partner, HttpMethod.Post, "/api/v1/benefits/NO-SUCH/eligibility", new { residentId = resident })),
            ("GET /api/v1/eligibility-decisions/{id}", await Status(partner, HttpMethod.Get, "/api/v1/eligibility-decisions/nothing")),
            ("POST /api/v1/stores/{storeId}/reservations", await Status(staff, HttpMethod.Post, $"/api/v1/stores/{store}/reservations",
                new { residentId = resident, lines = new[] { new { sku = "SOAP", quantity = 3 } } }, "too-much")),
            ("GET /api/v1/stores/{storeId}/reservations/{pickupCode}", await Status(kiosk, HttpMethod.Get, $"/api/v1/stores/{store}/reservations/NOPE")),
            ("POST /api/v1/stores/{storeId}/reservations/{pickupCode}/cancel", await Status(staff, HttpMethod.Post, $"/api/v1/stores/{store}/reservations/NOPE/cancel")),
            ("POST /api/v1/kiosk/sessions", await Status(kiosk, HttpMethod.Post, "/api/v1/kiosk/sessions", new { cardNumber = card, pin = "00000000" })),
            ("POST /api/v1/keys", await Status(admin, HttpMethod.Post, "/api/v1/keys", new { role = "owner" })),
            ("DELETE /api/v1/keys/{id}", await Status(admin, HttpMethod.Delete, "/api/v1/keys/no-such-key")),
        ];

        Assert.Equal([401, 403, 404, 409, 400, 422, 201, 409, 404, 404, 400, 404, 400, 404, 422, 404, 404, 401, 400, 404], answers.Select(a => a.Status));
        Assert.Empty(api.Statuses.Undocumented);
        Assert.All(answers, a => Assert.True(api.Statuses.Checked.ContainsKey($"{a.Operation} {a.Status}"), $"{a.Operation} {a.Status} was not checked against the document"));
    }

    [Fact]
    public async Task SwaggerJson_RoutesThatTakeAnIdempotencyKey_ShowTheHeaderRequiredExactlyWhenRequired()
    {
        using var anonymous = api.As(null);
        var endpoints = Endpoints();

        using var document = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative)));

        var operations = Operations(document.RootElement).ToDictionary(o => o.Name, o => o.Operation, StringComparer.Ordinal);
        var problems = new List<string>();
        var keyed = 0;
        foreach (var (name, endpoint) in endpoints.Where(e => e.Key.Contains(" /api/v1/", StringComparison.Ordinal)))
        {
            if (!operations.TryGetValue(name, out var operation))
            {
                problems.Add($"{name}: not in the document");
                continue;
            }

            var policy = endpoint.Metadata.GetMetadata<IdempotencyMetadata>()?.Policy;
            var takesKey = policy is IdempotencyPolicy.Required or IdempotencyPolicy.Honoured;
            keyed += takesKey ? 1 : 0;
            var (listed, required) = Header(operation, IdempotencyMiddleware.KeyHeader);
            if (listed != takesKey || required != (policy == IdempotencyPolicy.Required))
            {
                problems.Add($"{name}: Idempotency-Key listed={listed} required={required}, but the policy is {policy?.ToString() ?? "none"}");
            }

            var successes = operation.GetProperty("responses").EnumerateObject().Where(x => x.Name.StartsWith('2')).ToList();
            if (takesKey && !successes.All(x => x.Value.TryGetProperty("headers", out var headers) && headers.TryGetProperty(IdempotencyMiddleware.ReplayedHeader, out _)))
            {
                problems.Add($"{name}: a success answer does not list Idempotent-Replayed");
            }

            var kiosk = endpoint.Metadata.GetMetadata<AllowMetadata>()?.Roles.Contains(Role.Kiosk) == true;
            if (Header(operation, ApiKeyMiddleware.SessionHeader) != (kiosk, false))
            {
                problems.Add($"{name}: X-Resident-Session should be listed as optional exactly where a kiosk may call (kiosk: {kiosk})");
            }
        }

        output.WriteLine($"routes taking Idempotency-Key: {keyed}");
        Assert.Empty(problems);
        Assert.True(keyed >= 17, $"only {keyed} routes take an Idempotency-Key");
    }

    [Fact]
    public async Task ProblemDocuments_OfRealRefusals_UseOnlyMembersOfTheApiProblemSchema()
    {
        using var anonymous = api.As(null);
        using var partner = api.As(api.Partner);
        using var staff = api.As(api.Staff(0));
        var resident = api.Resident(0, 0).GetProperty("id").GetString();
        using var refusedAward = new HttpRequestMessage(HttpMethod.Post, "/api/v1/awards")
        {
            Content = JsonContent.Create(new { residentId = resident, indicator = "GOV-01", quantity = 0 }),
        };
        refusedAward.Headers.Add("Idempotency-Key", "refused-award");
        using var schema = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative)));
        var members = schema.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ApiProblem").GetProperty("properties")
            .EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        using var unauthorized = await anonymous.GetAsync(new Uri("/api/v1/catalog", UriKind.Relative));
        using var forbidden = await partner.GetAsync(new Uri("/api/v1/catalog", UriKind.Relative));
        using var notFound = await staff.GetAsync(new Uri("/api/v1/residents/nobody", UriKind.Relative));
        using var badRequest = await staff.GetAsync(new Uri($"/api/v1/residents/{resident}/statement?pageSize=0", UriKind.Relative));
        using var unprocessable = await staff.SendAsync(refusedAward);

        var answers = new[] { unauthorized, forbidden, notFound, badRequest, unprocessable };
        Assert.Equal([401, 403, 404, 400, 422], answers.Select(a => (int)a.StatusCode));
        Assert.Superset(new HashSet<string>(["type", "title", "status", "detail", "code", "field", "messageZh", "explanation"], StringComparer.Ordinal), members);
        foreach (var answer in answers)
        {
            var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Subset(members, body.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal));
        }
    }

    private static async Task<int> Status(HttpClient client, HttpMethod method, string path, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body as HttpContent ?? (body is null ? null : JsonContent.Create(body)) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    /// <summary>The app's endpoints by "METHOD /route" as the document spells them (no route constraints).</summary>
    private Dictionary<string, RouteEndpoint> Endpoints() =>
        api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Name: DocumentedStatuses.NameOf(m, e.RoutePattern.RawText!), Endpoint: e)))
            .ToDictionary(x => x.Name, x => x.Endpoint, StringComparer.Ordinal);

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement root) =>
        root.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => ($"{m.Name.ToUpperInvariant()} {p.Name}", m.Value)));

    private static IEnumerable<JsonElement> Schemas(JsonElement response) =>
        response.TryGetProperty("content", out var content) ? content.EnumerateObject().Select(c => c.Value.GetProperty("schema")) : [];

    private static bool IsProblem(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) && reference.GetString() == ProblemSchema;

    private static (bool Listed, bool Required) Header(JsonElement operation, string name)
    {
        var header = operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().FirstOrDefault(p => p.GetProperty("in").GetString() == "header" && p.GetProperty("name").GetString() == name)
            : default;
        return header.ValueKind == JsonValueKind.Undefined ? (false, false) : (true, header.TryGetProperty("required", out var r) && r.GetBoolean());
    }

    // Every object in a response is a component named after a record, with members; arrays and oneOf are followed; primitives pass.
    private static IEnumerable<string> Anonymous(JsonElement root, JsonElement schema, string where, HashSet<string> seen)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            if (!seen.Add(name))
            {
                return [];
            }

            var component = root.GetProperty("components").GetProperty("schemas").GetProperty(name);
            if (!TypeName().IsMatch(name))
            {
                return [$"{where}: {name} is an anonymous type"];
            }

            if (component.TryGetProperty("enum", out _))
            {
                return [];
            }

            return component.TryGetProperty("properties", out var properties) && properties.EnumerateObject().Any()
                ? properties.EnumerateObject().SelectMany(p => Anonymous(root, p.Value, $"{where} {name}.{p.Name}", seen)).ToList()
                : [$"{where}: {name} is an object without members"];
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            return oneOf.EnumerateArray().SelectMany(s => Anonymous(root, s, where, seen)).ToList();
        }

        return (schema.TryGetProperty("type", out var type) ? type.GetString() : null) switch
        {
            "array" => Anonymous(root, schema.GetProperty("items"), where + "[]", seen),
            "object" or null => [$"{where}: an anonymous or empty object ({schema.GetRawText()})"],
            _ => [],
        };
    }

    // A record's name; an anonymous type's schema id is like "Int32<>f__AnonymousType4".
    [GeneratedRegex("^[A-Z][A-Za-z0-9]*$")]
    private static partial Regex TypeName();
}

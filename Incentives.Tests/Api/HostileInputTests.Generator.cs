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

/// <summary>The hostile requests: mutations of each route's body (from its OpenAPI schema), path, headers and keys.</summary>
public sealed partial class HostileInputTests
{
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
}

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
public sealed partial class HostileInputTests(ITestOutputHelper output)
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

    private sealed record Hostile(string What, Func<string, HttpRequestMessage> Build);

    private sealed record Result(string What, int Status, bool Problem, string Body);

    /// <summary>A stream whose length is unknown, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

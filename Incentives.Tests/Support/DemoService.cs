using System.Net.Http.Json;
using System.Text.Json;

namespace Incentives.Tests.Support;

/// <summary>The built service as a real process (<see cref="ServiceProcess"/>) on a fresh data folder with demo data,
/// shared by the tests of one class, with the keys of <c>demo-keys.json</c> and a way to send a request as anyone.</summary>
public sealed class DemoService : IAsyncLifetime
{
    private JsonDocument? _keys;
    private ServiceProcess? _process;

    public ServiceProcess Process => _process ?? throw new InvalidOperationException("not started");

    public JsonElement Keys => (_keys ?? throw new InvalidOperationException("not started")).RootElement;

    public string Admin => Keys.GetProperty("admin").GetString()!;

    public string Partner => Keys.GetProperty("partner").GetString()!;

    public string Staff(int community) => Keys.GetProperty("communities")[community].GetProperty("staffKey").GetString()!;

    public string Kiosk(int community) => Keys.GetProperty("communities")[community].GetProperty("stores")[0].GetProperty("kioskKey").GetString()!;

    public JsonElement Resident(int community, int i) => Keys.GetProperty("communities")[community].GetProperty("residents")[i];

    public async Task InitializeAsync()
    {
        _process = await ServiceProcess.StartAsync();
        _keys = await ReadKeysAsync(_process);
    }

    public async Task DisposeAsync()
    {
        _keys?.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    public static async Task<JsonDocument> ReadKeysAsync(ServiceProcess process) =>
        JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(process.DataDirectory, "demo-keys.json")));

    /// <summary>Sends one request; <paramref name="body"/> is serialised as JSON unless it is already <see cref="HttpContent"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key = null, object? body = null, string? session = null, string? idempotencyKey = null) =>
        Send(Process.Http, method, path, key, body, session, idempotencyKey);

    public static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string? key = null, object? body = null, string? session = null,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (session is not null)
        {
            request.Headers.Add("X-Resident-Session", session);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        request.Content = body switch
        {
            null => null,
            HttpContent content => content,
            _ => JsonContent.Create(body),
        };
        return await http.SendAsync(request);
    }

    /// <summary>Signs a demo resident in at their community's kiosk and returns the session token.</summary>
    public async Task<string> SignInAsync(int community, int resident)
    {
        var r = Resident(community, resident);
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/kiosk/sessions", Kiosk(community),
            new { cardNumber = r.GetProperty("cardNumber").GetString(), pin = r.GetProperty("pin").GetString() });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}

/// <summary>Checks that an error answer is a problem document as docs/api.md promises.</summary>
internal static class ProblemAssert
{
    /// <summary>Asserts the answer is <c>application/problem+json</c> with non-empty <c>type</c>, <c>code</c> and
    /// <c>messageZh</c> (and the status and code when given), and returns the document.</summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, int? status = null, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        var what = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}";
        if (status is { } s)
        {
            Assert.True(s == (int)response.StatusCode, $"expected {s}: {what}");
        }

        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"not problem+json: {what}");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        foreach (var member in new[] { "type", "code", "messageZh" })
        {
            Assert.True(problem.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0, $"no {member}: {what}");
        }

        if (code is not null)
        {
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }

        return problem;
    }
}

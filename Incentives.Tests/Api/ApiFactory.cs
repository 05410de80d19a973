using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Incentives.Tests.Api;

/// <summary>The real API in the test host, on a fresh data folder with demo data, a fake clock and captured logs.</summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    private JsonDocument? _keys;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "incentives-api-" + Guid.NewGuid().ToString("N"));

    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 11, 23, 2, 0));

    public LogCollector Logs { get; } = new();

    /// <summary>Every answer of an operation of the OpenAPI document, checked against the statuses it lists.</summary>
    internal DocumentedStatuses Statuses { get; } = new();

    public JsonElement Keys => (_keys ??= Load()).RootElement;

    public string Admin => Keys.GetProperty("admin").GetString()!;

    public string Partner => Keys.GetProperty("partner").GetString()!;

    public JsonElement Community(int i) => Keys.GetProperty("communities")[i];

    public string Staff(int i) => Community(i).GetProperty("staffKey").GetString()!;

    public string Kiosk(int i) => Community(i).GetProperty("stores")[0].GetProperty("kioskKey").GetString()!;

    public JsonElement Resident(int community, int i) => Community(community).GetProperty("residents")[i];

    public IncentivesEngine Engine => Services.GetRequiredService<IncentivesEngine>();

    public HttpClient As(string? key, string? session = null)
    {
        var client = CreateDefaultClient(new ProblemCheck());
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        if (session is not null)
        {
            client.DefaultRequestHeaders.Add("X-Resident-Session", session);
        }

        return client;
    }

    public async Task<string> SignIn(int community, int resident)
    {
        var r = Resident(community, resident);
        using var kiosk = As(Kiosk(community));
        var response = await kiosk.PostAsJsonAsync("/api/v1/kiosk/sessions", new { cardNumber = r.GetProperty("cardNumber").GetString(), pin = r.GetProperty("pin").GetString() });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    protected virtual bool Demo => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("data", DataDirectory);
        builder.UseSetting("backups", Path.Combine(DataDirectory, "backups"));
        builder.UseSetting("demo", Demo ? "true" : "false");
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<IClock>(Clock);
            s.AddSingleton<ILoggerProvider>(Logs);
            s.AddSingleton<IStartupFilter>(Statuses);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _keys?.Dispose();
        if (disposing && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private JsonDocument Load()
    {
        _ = Services; // starts the host, which seeds the demo data
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(DataDirectory, "demo-keys.json")));
    }
}

/// <summary>Keeps every log line written, so tests can check what never appears in logs.</summary>
public sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>Every error response any API test receives must be RFC 9457 problem+json with a <c>type</c>, and every
/// status one the OpenAPI document lists for the operation (<see cref="DocumentedStatuses"/>).</summary>
internal sealed class ProblemCheck : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues(DocumentedStatuses.Header, out var undocumented))
        {
            throw new InvalidOperationException($"{request.Method} {request.RequestUri}: {string.Join("; ", undocumented)}");
        }

        if ((int)response.StatusCode >= 400)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !JsonDocument.Parse(body).RootElement.TryGetProperty("type", out var type) || string.IsNullOrEmpty(type.GetString()))
            {
                throw new InvalidOperationException($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} is not a problem document with a type: {body}");
            }
        }

        return response;
    }
}

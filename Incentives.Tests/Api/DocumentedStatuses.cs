using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Swashbuckle.AspNetCore.Swagger;

namespace Incentives.Tests.Api;

/// <summary>
/// Issue 12, item 6, checked against behaviour: in the test host, every answer an operation of the OpenAPI document
/// gives must have a status the document lists for that operation. Every API test that runs on an
/// <see cref="ApiFactory"/> is thus also a test of the document: an undeclared status is recorded in
/// <see cref="Undocumented"/> and marked with <see cref="Header"/>, which <see cref="ProblemCheck"/> turns into a failure
/// of the test that provoked it. Statuses any request can meet are listed once in docs/api.md, not per operation, and
/// pass here: 405, 408, 414, 431, 500, and 413 on an operation that reads no body.
/// </summary>
internal sealed partial class DocumentedStatuses : IStartupFilter
{
    /// <summary>Set on an answer whose status the document does not list for its operation (test host only).</summary>
    public const string Header = "X-Test-Undocumented-Status";

    private static readonly int[] AnyRequest = [405, 408, 414, 431, 500];

    /// <summary>"METHOD /path status: …" for each answer with a status the document does not list.</summary>
    public ConcurrentQueue<string> Undocumented { get; } = new();

    /// <summary>How many answers were checked, by "METHOD /path status".</summary>
    public ConcurrentDictionary<string, int> Checked { get; } = new(StringComparer.Ordinal);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var document = new Lazy<Dictionary<string, Operation>>(() => Load(app.ApplicationServices), LazyThreadSafetyMode.ExecutionAndPublication);
        app.Use(async (context, rest) =>
        {
            // The exception handler clears the endpoint before it writes its problem: keep the one routing chose.
            var endpoint = new ChosenEndpoint();
            context.Features.Set<IEndpointFeature>(endpoint);
            context.Response.OnStarting(() =>
            {
                Check(context, endpoint.Chosen as RouteEndpoint, document.Value);
                return Task.CompletedTask;
            });
            await rest(context);
        });
        next(app);
    };

    /// <summary>"METHOD /path" as the document spells it: route constraints dropped.</summary>
    public static string NameOf(string method, string routePattern) => $"{method.ToUpperInvariant()} {Constraint().Replace(routePattern, "{$1}")}";

    private void Check(HttpContext context, RouteEndpoint? endpoint, Dictionary<string, Operation> document)
    {
        if (endpoint?.RoutePattern.RawText is not { } pattern || !document.TryGetValue(NameOf(context.Request.Method, pattern), out var operation))
        {
            // No route (404), routing's own answers (405; 415 for a body of another media type), a limit before routing,
            // or a route outside the document (pages, Swagger).
            return;
        }

        var status = context.Response.StatusCode;
        var name = NameOf(context.Request.Method, pattern);
        Checked.AddOrUpdate($"{name} {status}", 1, (_, n) => n + 1);
        if (operation.Statuses.Contains(status) || AnyRequest.Contains(status) || (status == 413 && !operation.ReadsBody))
        {
            return;
        }

        var message = $"{name} answered {status}, which the OpenAPI document does not list (it lists {string.Join(", ", operation.Statuses.Order())})";
        Undocumented.Enqueue(message);
        context.Response.Headers[Header] = message;
    }

    private static Dictionary<string, Operation> Load(IServiceProvider services)
    {
        var document = services.GetRequiredService<ISwaggerProvider>().GetSwagger("v1");
        return document.Paths
            .SelectMany(p => p.Value.Operations.Select(o => (Name: $"{o.Key.ToString().ToUpperInvariant()} {p.Key}", o.Value)))
            .ToDictionary(
                o => o.Name,
                o => new Operation([.. o.Value.Responses.Keys.Select(s => int.Parse(s, CultureInfo.InvariantCulture))], o.Value.RequestBody is not null),
                StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex Constraint();

    private sealed record Operation(HashSet<int> Statuses, bool ReadsBody);

    private sealed class ChosenEndpoint : IEndpointFeature
    {
        private Endpoint? _endpoint;

        public Endpoint? Chosen { get; private set; }

        public Endpoint? Endpoint
        {
            get => _endpoint;
            set
            {
                _endpoint = value;
                Chosen = value ?? Chosen;
            }
        }
    }
}

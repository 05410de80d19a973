using System.Text.Json.Serialization;
using Incentives;
using Incentives.Api;
using Incentives.Api.Demo;
using Incentives.Api.Endpoints;
using Incentives.Api.Hosting;
using Incentives.Api.OpenApi;
using Incentives.Api.Security;
using Incentives.Catalog;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

// Files the service creates (data folder, keys, LiteDB's files) are private from their first byte.
FileModes.RestrictNewFiles();

// The composition root is the one place the system clock is chosen (BannedSymbols.txt bans it everywhere else).
#pragma warning disable RS0030
var systemClock = SystemClock.Instance;
#pragma warning restore RS0030

var commandLine = CommandLine.Parse(args);
if (CommandLine.Execute(commandLine, Console.Out, Console.Error, systemClock) is { } exitCode)
{
    return exitCode;
}

// The content root is the app's own folder, where the build puts appsettings.json and wwwroot/: the pages and the
// settings are found whatever the working directory and environment. data/ and rules/ stay relative to the working
// directory (RunWorkingDirectory makes that the repository root for dotnet run).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = commandLine.HostArgs,
    ContentRootPath = commandLine.Settings.TryGetValue("contentRoot", out var contentRoot) ? Path.GetFullPath(contentRoot) : AppContext.BaseDirectory,
});
var rulesDirectory = RulesFolder.Find(builder.Configuration["rules"]);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

// Refuse to start on bad rules, and say exactly what is wrong.
var rules = RulesLoader.Load(rulesDirectory);
if (!rules.Succeeded)
{
    foreach (var d in rules.Diagnostics)
    {
        Console.Error.WriteLine(d);
    }

    Console.Error.WriteLine($"{rules.Diagnostics.Count} error(s): refusing to start");
    return 1;
}

// [api-hardening] Kestrel's limits sit above the ones RequestLimits answers with problem documents.
builder.WebHost.ConfigureKestrel(k => RequestLimits.Configure(k.Limits));

// Tests replace the clock.
builder.Services.AddSingleton<IClock>(systemClock);
// Settings are read when services are built, so a test host's settings (data folder, demo) apply too.
static string DataDirectory(IServiceProvider sp) => Path.GetFullPath(sp.GetRequiredService<IConfiguration>()["data"] ?? "data");
builder.Services.AddSingleton(sp => IncentivesEngine.Open(
    new IncentivesOptions
    {
        DatabasePath = Path.Combine(DataDirectory(sp), "incentives.db"),
        RulesDirectory = rulesDirectory,
        MinFreeDiskBytes = sp.GetRequiredService<IConfiguration>().GetValue("Incentives:MinFreeDiskBytes", new IncentivesOptions().MinFreeDiskBytes),
    },
    sp.GetRequiredService<IClock>()));
builder.Services.AddSingleton(sp => new ApiStore(DataDirectory(sp)));
builder.Services.AddSingleton(sp => new Secrets(DataDirectory(sp)));
builder.Services.AddSingleton<KioskSessions>();
builder.Services.AddSingleton<KioskSignIn>(); // [api-hardening]
builder.Services.AddSingleton<StaffSessions>();
builder.Services.AddSingleton<StaffDirectory>();
builder.Services.AddSingleton<StaffAccounts>();
builder.Services.AddSingleton<StaffSignIn>();
builder.Services.AddSingleton<Guard>();
builder.Services.AddSingleton(sp => new DemoOptions(DataDirectory(sp), sp.GetRequiredService<IConfiguration>()["demo"] != "false"));
builder.Services.AddHostedService<StartupWork>();
builder.Services.AddHostedService<DueWorkService>();
// [api-hardening] begin: access log off the request path; errors as problem documents; strict JSON; rate limits.
builder.Services.AddHostedService<AccessLogWriter>();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<StoreProblemHandler>();
builder.Services.AddExceptionHandler<BadRequestHandler>();
builder.Services.AddExceptionHandler<UnexpectedErrorHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new PlausibleInstantConverter());
    o.SerializerOptions.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
    o.SerializerOptions.AllowDuplicateProperties = false;
    // A misspelt or corrupted member ("evidance", a name with invalid UTF-8) is a 400, not silently dropped.
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    // The web defaults read "5" as 5: a number sent as text is a client's bug (a form field never converted), and
    // accepting it hides that until the day the text is "5,00". Numbers are JSON numbers.
    o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
});
builder.Services.AddApiRateLimits();
// [api-hardening] end
builder.Services.AddApiDocument(); // Swagger: every status of every route, with its schema

var app = builder.Build();

// The real process (the test host stops at Build): take the data folder, open the ledger, and refuse to start on a
// folder that cannot be served as it is, with the operator's message and no stack trace.
var dataFolder = new DataFolder(app.Configuration["data"] ?? "data");
using var folderLock = dataFolder.TryLock();
if (folderLock is null)
{
    Console.Error.WriteLine($"{dataFolder.Path} is in use by another Incentives process: refusing to start");
    return 3;
}

try
{
    var engine = app.Services.GetRequiredService<IncentivesEngine>();
    if (StartupWork.Problem(engine, app.Services.GetRequiredService<ApiStore>(), dataFolder.Path) is { } refusal)
    {
        Console.Error.WriteLine(refusal);
        return 3;
    }
}
catch (StoreOpenException e)
{
    Console.Error.WriteLine(e.Message);
    return 3;
}
// [api-hardening] begin: every error is a problem document; limits; who calls → rate limit → 401/403 → idempotency.
// The limiter sits between identifying the key (in memory) and refusing it, so unknown keys are limited too and a
// refused request costs no database work; 401/403 still come before the idempotency middleware.
app.UseExceptionHandler();
app.UseStatusCodePages(StatusProblems.WriteAsync);
app.UseMiddleware<RequestLimits>();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseRouting();
app.UseMiddleware<ApiKeyMiddleware>();
app.UseRateLimiter();
app.UseMiddleware<AccessMiddleware>();
app.UseMiddleware<Incentives.Api.Idempotency.IdempotencyMiddleware>();
// [api-hardening] end
app.UseSwagger();
app.UseSwaggerUI();

app.MapGet("/health", (IncentivesEngine e) => TypedResults.Ok(new HealthView(
    e.Health.Writable ? "ok" : "degraded",
    e.Health.Writable ? "accepted" : $"refused: {e.Health.Problem}: {e.Health.Detail}",
    e.Catalog.Version,
    e.Catalog.Hash))).WithTags("Health");
// Bounds on every request (a 400 naming the field); 413 and 415 where a JSON body is read.
var api = app.MapGroup("/api/v1").AddEndpointFilter(Limits.Filter).ProducesProblems(StatusCodes.Status400BadRequest).ProducesBodyProblems();
LedgerEndpoints.Map(api);
MallEndpoints.Map(api);
PictureEndpoints.Map(api); // issue 14: goods pictures, served without a key
CreditEndpoints.Map(api);
CreditRecordEndpoints.Map(api);
GovernanceEndpoints.Map(api);
AccessEndpoints.Map(api);
PageEndpoints.Map(api);
AdminEndpoints.Map(api);
StaffEndpoints.Map(api);
CorrectionEndpoints.Map(api);
ResidentAdminEndpoints.Map(api); // issue 14: cards, PINs, status, spreadsheet import and export

await app.RunAsync();
return 0;

/// <summary>The API's entry point; public so the test host can find it.</summary>
public partial class Program;

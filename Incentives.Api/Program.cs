using Incentives;
using Incentives.Api;
using Incentives.Catalog;
using NodaTime;

if (args.Length > 0 && args[0] == "validate-rules")
{
    return ValidateRulesCommand.Run(args.Length > 1 ? args[1] : "rules", Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
var dataDirectory = builder.Configuration["data"] ?? "data";
var rulesDirectory = builder.Configuration["rules"] ?? "rules";
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

IncentivesEngine engine;
try
{
    // The composition root is the one place the system clock is chosen.
    engine = IncentivesEngine.Open(
        new IncentivesOptions { DatabasePath = Path.Combine(dataDirectory, "incentives.db"), RulesDirectory = rulesDirectory },
        SystemClock.Instance);
}
catch (RulesLoadException e)
{
    foreach (var d in e.Diagnostics)
    {
        Console.Error.WriteLine(d);
    }

    Console.Error.WriteLine($"{e.Diagnostics.Count} error(s): refusing to start");
    return 1;
}

builder.Services.AddSingleton(engine);
var app = builder.Build();

// A clean stop checkpoints the data file and empties the command log; a crash leaves the log for replay.
app.Lifetime.ApplicationStopped.Register(engine.Dispose);
app.MapGet("/health", (IncentivesEngine e) => Results.Ok(new { status = "ok", catalogVersion = e.Catalog.Version, catalogHash = e.Catalog.Hash }));
await app.RunAsync();
return 0;

/// <summary>The API's entry point; public so the test host can find it.</summary>
public partial class Program;

using Incentives.Api.Security;

namespace Incentives.Api.Demo;

/// <summary>On a fresh data folder (no API keys yet): seeds demo data and writes <c>demo-keys.json</c>, or with
/// <c>--no-demo</c> writes only an admin key to <c>admin.key</c>. Keys are never logged.</summary>
internal sealed class StartupWork(IncentivesEngine engine, ApiStore store, Secrets secrets, DemoOptions options, NodaTime.IClock clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store.Keys.Count() > 0)
        {
            return;
        }

        if (!options.Seed)
        {
            var (_, key) = store.CreateKey(Role.Admin, string.Empty);
            await WriteSecretFile(Path.Combine(options.DataDirectory, "admin.key"), key + Environment.NewLine, cancellationToken);
            return;
        }

        var keys = await new DemoSeeder(engine, store, secrets, clock).SeedAsync();
        await WriteSecretFile(Path.Combine(options.DataDirectory, "demo-keys.json"), keys, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task WriteSecretFile(string path, string content, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, content, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

using Incentives.Tests.Support;

namespace Incentives.Tests.Api;

/// <summary>The service started as the README starts it (from the repository root, only <c>--urls</c> and
/// <c>--data</c>, no environment: Production) serves the pages and reads <c>Incentives.Api/appsettings.json</c>.</summary>
public sealed class NewcomerPathTests
{
    private static readonly string[] Paths = ["/health", "/swagger/index.html", "/kiosk/", "/staff/", "/common/api.js", "/"];

    [Fact]
    public async Task Start_AsTheReadmeDoes_ServesHealthSwaggerAndThePages()
    {
        await using var service = await ServiceProcess.StartAsync();

        var answers = await Answers(service);

        Assert.Equal(Paths.Select(p => $"{p} 200"), answers);
    }

    [Fact]
    public async Task Start_AsTheReadmeDoes_FollowsTheLogLevelsOfAppsettings()
    {
        await using var service = await ServiceProcess.StartAsync(["--no-demo"]);
        (await service.Http.GetAsync(new Uri("/health", UriKind.Relative))).Dispose();

        var exit = await service.StopAsync(); // a graceful stop flushes the console log

        // appsettings.json keeps Information in general but Warning for Microsoft.AspNetCore; without the file every
        // request is logged as "Request starting ..." at Information.
        Assert.Equal(0, exit);
        Assert.Contains("Hosting environment: Production", service.Log);
        Assert.Contains("Now listening on: " + service.BaseUrl, service.Log);
        Assert.DoesNotContain("Request starting", service.Log);
    }

    [Fact]
    public async Task Start_FromAnotherWorkingDirectory_ServesThePages()
    {
        var elsewhere = Directory.CreateTempSubdirectory("incentives-cwd-").FullName;
        try
        {
            await using var service = await ServiceProcess.StartAsync(["--no-demo"], workingDirectory: elsewhere);

            var answers = await Answers(service);

            Assert.Equal(Paths.Select(p => $"{p} 200"), answers);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static async Task<List<string>> Answers(ServiceProcess service)
    {
        var answers = new List<string>();
        foreach (var path in Paths)
        {
            using var response = await service.Http.GetAsync(new Uri(path, UriKind.Relative));
            answers.Add($"{path} {(int)response.StatusCode}");
        }

        return answers;
    }
}

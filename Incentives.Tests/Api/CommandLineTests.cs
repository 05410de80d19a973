using Incentives.Api.Hosting;
using Incentives.Tests.Support;

namespace Incentives.Tests.Api;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_RealProcess_PrintsUsageToStdoutAndExitsZero()
    {
        var run = await ServiceProcess.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(CommandLine.Usage(), run.Output);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task UnknownCommand_RealProcess_PrintsUsageToStderrAndExitsTwo()
    {
        var run = await ServiceProcess.RunAsync("verify-nonsense");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: unknown command 'verify-nonsense'", run.Error, StringComparison.Ordinal);
        Assert.EndsWith(CommandLine.Usage(), run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Output);
    }

    [Fact]
    public async Task UnknownOption_RealProcess_PrintsUsageToStderrAndExitsTwo()
    {
        var run = await ServiceProcess.RunAsync("--bogus-option");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: unknown option '--bogus-option'", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Output);
    }

    [Fact]
    public async Task ValidateRules_RealProcess_ChecksTheRepositoryRulesAndExitsZero()
    {
        var run = await ServiceProcess.RunAsync("validate-rules");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("0 error(s)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OptionsInBothForms_HandsTheHostOneFormEach()
    {
        var request = CommandLine.Parse(["--urls", "http://127.0.0.1:5081", "--data=d", "--no-demo", "--Logging:LogLevel:Default", "Debug", "--environment=Staging"]);

        Assert.Null(request.Error);
        Assert.Null(request.Command);
        Assert.Equal(["--urls=http://127.0.0.1:5081", "--data=d", "--demo=false", "--Logging:LogLevel:Default=Debug", "--environment=Staging"], request.HostArgs);
    }

    [Fact]
    public void Parse_SettingsOfTheTestHost_AreAccepted()
    {
        // WebApplicationFactory hands its settings to Program as --key=value.
        var request = CommandLine.Parse(["--environment=Development", "--demo=false", "--data=/tmp/x", "--contentRoot=/tmp/y", "--applicationName=Incentives.Api"]);

        Assert.Null(request.Error);
        Assert.Equal("false", request.Settings["demo"]);
    }

    [Fact]
    public void Parse_CommandWithArgumentAndOption_SelectsTheCommand()
    {
        var request = CommandLine.Parse(["validate-rules", "my-rules", "--data", "d"]);

        Assert.Null(request.Error);
        Assert.Equal("validate-rules", request.Command?.Name);
        Assert.Equal(["my-rules"], request.Arguments);
        Assert.Equal("d", request.Settings["data"]);
    }

    [Theory]
    [InlineData("verfy", "unknown command 'verfy'")]
    [InlineData("--data", "option '--data' needs a value")]
    [InlineData("--data --no-demo", "option '--data' needs a value")]
    [InlineData("--no-demo=true", "option '--no-demo' takes no value")]
    [InlineData("-x", "unknown option '-x'")]
    [InlineData("validate-rules a b", "'validate-rules' takes [DIR]; got 2 argument(s)")]
    public void Parse_Mistake_NamesIt(string args, string error)
    {
        var request = CommandLine.Parse(args.Split(' '));

        Assert.Equal(error, request.Error);
        Assert.Equal(2, CommandLine.Execute(request, TextWriter.Null, TextWriter.Null, new NodaTime.Testing.FakeClock(NodaTime.Instant.FromUtc(2026, 11, 23, 2, 0))));
    }

    [Fact]
    public void Usage_EveryCommandAndOption_HasOneLine()
    {
        var lines = CommandLine.Usage().Split(Environment.NewLine);

        foreach (var name in CommandLine.Commands.Select(c => c.Name).Concat(CommandLine.Options.Select(o => o.Name)))
        {
            Assert.Single(lines, l => l.StartsWith($"  {name} ", StringComparison.Ordinal));
        }
    }
}

namespace Incentives.Api.Hosting;

/// <summary>A command word with its arguments, run instead of the service.</summary>
/// <param name="Name">The word, e.g. <c>validate-rules</c>.</param>
/// <param name="Arguments">How the usage shows its arguments, e.g. <c>[DIR]</c>.</param>
/// <param name="MinArguments">Fewest arguments it takes.</param>
/// <param name="MaxArguments">Most arguments it takes.</param>
/// <param name="Help">One line for the usage.</param>
/// <param name="Run">Runs it and returns the exit code.</param>
internal sealed record Command(string Name, string Arguments, int MinArguments, int MaxArguments, string Help, Func<CommandContext, int> Run);

/// <summary>What a command gets: its arguments, the settings given as options (e.g. <c>data</c>), where to print, and
/// the clock (chosen in Program.cs, the one place the system clock is named).</summary>
internal sealed record CommandContext(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Settings, TextWriter Output, NodaTime.IClock Clock);

/// <summary>An option: <c>--name VALUE</c> (or <c>--name=VALUE</c>) setting the configuration key of the same name, or
/// a flag (<paramref name="Value"/> null) that sets the setting <paramref name="Key"/> to <paramref name="FlagValue"/>.</summary>
internal sealed record Option(string Name, string? Value, string Help, string? Key = null, string? FlagValue = null);

/// <summary>What the command line asks for: the service (started with <see cref="HostArgs"/>), a command, the usage
/// (<see cref="Help"/>), or the usage because of a mistake (<see cref="Error"/>).</summary>
internal sealed record CommandLineRequest(
    string[] HostArgs, IReadOnlyDictionary<string, string> Settings, Command? Command, IReadOnlyList<string> Arguments, bool Help, string? Error);

/// <summary>Parses the command line against two tables, so a mistyped word or option prints the usage and exits 2
/// instead of silently starting the service (with demo data on a fresh folder).</summary>
internal static class CommandLine
{
    public const int UsageExitCode = 2;

    /// <summary>Adding a command is one line here.</summary>
    public static readonly IReadOnlyList<Command> Commands =
    [
        new("validate-rules", "[DIR]", 0, 1, "check a rules folder (default rules) and exit non-zero on any error",
            c => ValidateRulesCommand.Run(c.Arguments.Count > 0 ? c.Arguments[0] : "rules", c.Output)),
        new("verify", string.Empty, 0, 0, "check every chain, balance, entry id and the ledger head of --data (service stopped); exit 1 on any problem", DataCommands.Verify),
        new("backup", "DEST", 1, 1, "copy the data folder consistently into the empty folder DEST (service stopped; a running one: POST /api/v1/admin/backups)", DataCommands.Backup),
        new("restore", "SRC", 1, 1, "restore a backup folder SRC into --data, which must be empty or new", DataCommands.Restore),
        new("repair-log", "OFFSET", 1, 1, "drop the damaged or unreadable command-log record at byte OFFSET (the start error names it); the command in it is lost", DataCommands.RepairLog),
        new("accept-head", string.Empty, 0, 0, "accept the data file as it is as the ledger's head (after deliberately putting back an older data file)", DataCommands.AcceptHead),
        new("issue-admin-key", string.Empty, 0, 0, "issue a new admin key to --data/admin.key (a ledger whose api.db was lost)", DataCommands.IssueAdminKey),
    ];

    public static readonly IReadOnlyList<Option> Options =
    [
        new("--urls", "URLS", "address(es) to listen on (default http://127.0.0.1:5080)"),
        new("--data", "DIR", "data folder (default data)"),
        new("--rules", "DIR", "rules folder (default rules/ in the working directory or a parent)"),
        new("--rateLimitPerMinute", "N", "requests a minute per API key (default 60000; docs/api.md)"),
        new("--backups", "DIR", "where POST /api/v1/admin/backups puts backups (default: backups/ beside the data folder)"),
        new("--demo", null, "seed demo data on a fresh data folder (the default; --demo=false is --no-demo)", "demo", "true"),
        new("--no-demo", null, "start a fresh data folder empty but for an admin key (admin.key)", "demo", "false"),
        new("--environment", "NAME", "ASP.NET Core environment (default Production)"),
        new("--contentRoot", "DIR", "where appsettings.json and wwwroot/ are (default the app's own folder)"),
        // The test host (WebApplicationFactory) passes its host settings as options too.
        new("--applicationName", "NAME", "ASP.NET Core application name (default Incentives.Api)"),
    ];

    public static CommandLineRequest Parse(IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var words = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                return Request(help: true);
            }

            if (!arg.StartsWith('-'))
            {
                words.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var inline = equals < 0 ? null : arg[(equals + 1)..];
            var option = Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            // Any --Section:Key is an ASP.NET Core setting (e.g. --Logging:LogLevel:Default), as with the plain host.
            if (option is null && !(name.StartsWith("--", StringComparison.Ordinal) && name.Contains(':', StringComparison.Ordinal)))
            {
                return Request(error: $"unknown option '{name}'");
            }

            if (option is { Value: null })
            {
                // A flag named after its setting also takes --name=VALUE: the test host passes --demo=false.
                if (inline is not null && option.Key != option.Name[2..])
                {
                    return Request(error: $"option '{option.Name}' takes no value");
                }

                settings[option.Key!] = inline ?? option.FlagValue!;
                continue;
            }

            var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
            if (value is null)
            {
                return Request(error: $"option '{name}' needs a value");
            }

            settings[option?.Key ?? name[2..]] = value;
        }

        if (words.Count == 0)
        {
            return Request();
        }

        var command = Commands.FirstOrDefault(c => c.Name == words[0]);
        if (command is null)
        {
            return Request(error: $"unknown command '{words[0]}'");
        }

        var arguments = words.Skip(1).ToList();
        if (arguments.Count < command.MinArguments || arguments.Count > command.MaxArguments)
        {
            return Request(error: $"'{command.Name}' takes {command.Arguments}; got {arguments.Count} argument(s)");
        }

        return Request(command: command, arguments: arguments);

        // The host reads its settings back from the command line, each in the one form it parses unambiguously.
        CommandLineRequest Request(bool help = false, string? error = null, Command? command = null, IReadOnlyList<string>? arguments = null) =>
            new([.. settings.Select(s => $"--{s.Key}={s.Value}")], settings, command, arguments ?? [], help, error);
    }

    /// <summary>Runs the command, or prints the usage; null when the service should start.</summary>
    public static int? Execute(CommandLineRequest request, TextWriter output, TextWriter error, NodaTime.IClock clock)
    {
        if (request.Error is not null)
        {
            error.WriteLine($"error: {request.Error}");
            error.WriteLine();
            error.Write(Usage());
            return UsageExitCode;
        }

        if (request.Help)
        {
            output.Write(Usage());
            return 0;
        }

        return request.Command?.Run(new CommandContext(request.Arguments, request.Settings, output, clock));
    }

    public static string Usage()
    {
        var lines = new List<string>
        {
            "usage: dotnet run --project Incentives.Api -- [COMMAND [ARGS]] [OPTIONS]",
            "       (or: dotnet Incentives.Api.dll [COMMAND [ARGS]] [OPTIONS])",
            "Without a command, runs the service. Paths are relative to the working directory.",
            string.Empty,
            "commands:",
        };
        lines.AddRange(Commands.Select(c => Line($"{c.Name} {c.Arguments}", c.Help)));
        lines.Add(string.Empty);
        lines.Add("options (--opt VALUE or --opt=VALUE):");
        lines.AddRange(Options.Select(o => Line($"{o.Name} {o.Value}", o.Help)));
        lines.Add(Line("--Section:Key VALUE", "any other setting, e.g. --Logging:LogLevel:Default Debug"));
        lines.Add(Line("-h, --help", "print this help"));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;

        static string Line(string left, string help) => $"  {left.TrimEnd(),-24}{help}";
    }
}

using System.CommandLine;
using Pyrometer.Agent.Commands;
using Pyrometer.Agent.Contracts;

namespace Pyrometer.Agent.Cli;

/// <summary>The <c>pyrometer</c> command line: record, dump, top, convert, diff.</summary>
internal static class PyrometerCommandLine
{
    /// <summary>
    /// Response files are off: System.CommandLine would otherwise replace any argument starting with '@' by the
    /// contents of the file it names, so a value such as <c>--match @/proc/1/root/secret</c> read files (issue #12).
    /// </summary>
    public static ParserConfiguration Configuration { get; } = new() { ResponseFileTokenReplacer = null };

    /// <summary>Parses as the executable does; the only entry point that should see a real command line.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args) => Build().Parse(args, Configuration);

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Parse(args);
        if (parsed.Errors.Count > 0 && !CommandHelp.IsHelp(parsed))
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"pyrometer: {ParseErrors.Describe(error)}").ConfigureAwait(false);
            }
            await Console.Error.WriteLineAsync("Try 'pyrometer --help'.").ConfigureAwait(false);
            return (int)AgentExitCode.Usage;
        }
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Parses a <c>record</c> command line as the executable does and binds it without running anything: what the
    /// operator's contract test checks its arguments against. Null, with the problems in <paramref name="errors"/>, when refused.
    /// </summary>
    public static RecordSettings? ParseRecord(IReadOnlyList<string> args, List<string> errors, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var options = new RecordOptions();
        var parsed = Build(options).Parse(args, Configuration);
        errors.AddRange(parsed.Errors.Select(ParseErrors.Describe));
        if (errors.Count > 0)
        {
            return null;
        }
        if (parsed.CommandResult.Command.Name != "record")
        {
            errors.Add($"'{parsed.CommandResult.Command.Name}' is not the record command");
            return null;
        }
        return options.Bind(parsed, errors, environment);
    }

    public static RootCommand Build() => Build(new RecordOptions());

    private static RootCommand Build(RecordOptions record)
    {
        var root = new RootCommand("pyrometer: a sampling profiler for CPython 3.8–3.15 that reads the interpreter from outside the process.");
        root.Subcommands.Add(BuildRecord(record));
        root.Subcommands.Add(BuildDump());
        root.Subcommands.Add(BuildTop());
        root.Subcommands.Add(BuildConvert());
        root.Subcommands.Add(BuildDiff());
        CommandHelp.Apply(root);
        return root;
    }

    private static Command BuildRecord(RecordOptions options)
    {
        var command = new Command("record", "Sample a process (and its workers) and write a flamegraph or other profile.");
        foreach (var symbol in options.All)
        {
            AddSymbol(command, symbol);
        }
        command.SetAction(async (result, cancellationToken) =>
        {
            var errors = new List<string>();
            var settings = options.Bind(result, errors);
            if (settings is null)
            {
                return await UsageErrorAsync(errors).ConfigureAwait(false);
            }
            return await RecordCommand.RunAsync(settings, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BuildDump()
    {
        var target = new TargetOptions(launches: false);
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var locals = new Option<bool>("--locals", "-l") { Description = "Also show each frame's local variables" };
        var tasks = new Option<bool>("--async") { Description = "Also show every asyncio task: its await stack, what it awaits, and the tasks awaiting it, per thread" };
        var command = new Command("dump", "Print every thread's current Python stack, once.");
        foreach (var option in target.All.Append(json).Append(locals).Append(tasks))
        {
            command.Options.Add(option);
        }
        command.SetAction(async (result, cancellationToken) =>
        {
            var errors = new List<string>();
            return target.Bind(result, [], errors) is { } selector
                ? await DumpCommand.RunAsync(selector, result.GetValue(target.Subprocesses), result.GetValue(json), result.GetValue(locals), result.GetValue(tasks), cancellationToken).ConfigureAwait(false)
                : await UsageErrorAsync(errors).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BuildTop()
    {
        var options = new TopOptions();
        var command = new Command("top", "A live table of the functions using the most CPU, like top.");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(async (result, cancellationToken) =>
        {
            var errors = new List<string>();
            return options.Bind(result, errors) is { } settings
                ? await TopCommand.RunAsync(settings, cancellationToken).ConfigureAwait(false)
                : await UsageErrorAsync(errors).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BuildConvert()
    {
        var input = new Argument<string>("input") { Description = "A folded or pprof profile" };
        var format = new Option<string>("--format", "-f") { Description = "flamegraph, speedscope, folded or pprof", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output file", Required = true };
        var view = new ViewOptions();
        var command = new Command("convert", "Convert a folded or pprof profile to another format.") { input, format, output };
        foreach (var option in view.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(async (result, cancellationToken) =>
        {
            var errors = new List<string>();
            return view.Bind(result, errors) is { } settings
                ? await ConvertCommand.RunAsync(result.GetValue(input)!, result.GetValue(format)!, result.GetValue(output)!, cancellationToken, settings).ConfigureAwait(false)
                : await UsageErrorAsync(errors).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BuildDiff()
    {
        var before = new Argument<string>("before") { Description = "The earlier profile (folded or pprof)" };
        var after = new Argument<string>("after") { Description = "The later profile (folded or pprof)" };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output SVG, shaped like AFTER; BEFORE's shape goes to NAME.before.svg and the top-changes table to NAME.changes.json beside it",
            Required = true,
        };
        var byPid = new Option<bool>("--by-pid")
        {
            Description = "Match processes by pid and threads by id (the same processes profiled twice); by default they match by command line and name, as pids differ between runs",
        };
        var byLine = new Option<bool>("--by-line")
        {
            Description = "Match frames by function, file and line; by default they match by function and file, so an edit that moves lines is no change",
        };
        var command = new Command(
            "diff",
            "Differential flamegraphs (AFTER's shape, red where a function's share grew; BEFORE's shape, blue where it shrank or went away) and a table of the functions that grew and shrank the most.")
        {
            before, after, output, byPid, byLine,
        };
        command.SetAction(async (result, cancellationToken) =>
            await DiffCommand.RunAsync(
                result.GetValue(before)!, result.GetValue(after)!, result.GetValue(output)!, cancellationToken, result.GetValue(byPid), result.GetValue(byLine)).ConfigureAwait(false));
        return command;
    }

    private static void AddSymbol(Command command, Symbol symbol)
    {
        switch (symbol)
        {
            case Option option:
                command.Options.Add(option);
                break;
            case Argument argument:
                command.Arguments.Add(argument);
                break;
        }
    }

    private static async Task<int> UsageErrorAsync(IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync($"pyrometer: {error}").ConfigureAwait(false);
        }
        return (int)AgentExitCode.Usage;
    }
}

using System.CommandLine;
using Pyrometer.Kubectl.Debug;
using Pyrometer.Kubectl.Kube;
using Pyrometer.Kubectl.Record;

namespace Pyrometer.Kubectl.Cli;

/// <summary>The <c>kubectl pyrometer</c> command line: record, dump, top.</summary>
internal static class KubectlCommandLine
{
    public const string Prefix = "kubectl pyrometer";

    /// <summary>Response files off: an argument starting with '@' stays an argument, it never reads a file.</summary>
    public static ParserConfiguration Configuration { get; } = new() { ResponseFileTokenReplacer = null };

    private static readonly HttpClient Downloads = new() { Timeout = TimeSpan.FromMinutes(5) };

    public static ParseResult Parse(IReadOnlyList<string> args) => Build().Parse(args, Configuration);

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Parse(args);
        var help = parsed.Tokens.Any(t => t.Value is "-h" or "--help" or "-?");
        if (parsed.Errors.Count > 0 && !help)
        {
            return await UsageAsync(parsed.Errors.Select(e => e.Message)).ConfigureAwait(false);
        }
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }

    public static RootCommand Build()
    {
        var connection = new ConnectionOptions();
        var root = new RootCommand("kubectl pyrometer: profile Python workloads in Kubernetes with the Pyrometer operator and agent.");
        foreach (var option in connection.All)
        {
            root.Options.Add(option);
        }
        root.Subcommands.Add(BuildRecord(connection));
        root.Subcommands.Add(BuildDebug(connection, "dump", "Print every thread's Python stack in a pod, once (the agent runs in an ephemeral container)."));
        root.Subcommands.Add(BuildDebug(connection, "top", "A live table of a pod's busiest Python functions, attached to your terminal (press q to quit)."));
        return root;
    }

    private static Command BuildRecord(ConnectionOptions connection)
    {
        var options = new RecordOptions();
        var command = new Command("record", "Profile a deployment's pods, one pod or the pods matching a selector, then print the summary and download the profiles.");
        foreach (var symbol in options.All)
        {
            Add(command, symbol);
        }
        command.SetAction(async (result, cancellationToken) =>
        {
            var errors = new List<string>();
            var target = connection.Bind(result, errors);
            var settings = options.Bind(result, errors);
            if (target is null || settings is null)
            {
                return await UsageAsync(errors).ConfigureAwait(false);
            }
            return await GuardAsync(target, cluster =>
            {
                var interactive = !Console.IsErrorRedirected;
                return new RecordCommand(cluster, Console.Out, Console.Error, interactive, TimeProvider.System, Downloads).RunAsync(settings, cancellationToken);
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command BuildDebug(ConnectionOptions connection, string name, string description)
    {
        var options = new DebugOptions(name);
        var command = new Command(name, description);
        foreach (var symbol in options.All)
        {
            Add(command, symbol);
        }
        command.SetAction(async (result, cancellationToken) =>
        {
            var errors = new List<string>();
            var target = connection.Bind(result, errors);
            var settings = options.Bind(result, errors);
            if (target is null || settings is null)
            {
                return await UsageAsync(errors).ConfigureAwait(false);
            }
            return await GuardAsync(target, cluster => new DebugCommand(cluster, Console.Out, Console.Error).RunAsync(settings, cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Connects, runs, and turns every expected failure into one line on stderr.</summary>
    private static async Task<int> GuardAsync(ConnectionSettings connection, Func<ClusterConnection, Task<int>> run)
    {
        try
        {
            using var cluster = ClusterConnection.Connect(connection);
            return await run(cluster).ConfigureAwait(false);
        }
        catch (PluginException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            await Console.Error.WriteLineAsync($"error: {KubeErrors.Explain(e, "talk to the API server").Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"error: cannot reach the API server: {ClusterConnection.OneLine(e.Message)}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }

    private static void Add(Command command, Symbol symbol)
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

    private static async Task<int> UsageAsync(IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync($"error: {error}").ConfigureAwait(false);
        }
        await Console.Error.WriteLineAsync($"See '{Prefix} --help'.").ConfigureAwait(false);
        return ExitCodes.Usage;
    }
}

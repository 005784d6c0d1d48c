using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Pyrometer.Agent.Cli;

/// <summary>
/// What <c>--help</c> adds for the commands that attach to a process: usage lines with the <c>--</c> form,
/// examples, and what the profiler needs from the kernel. The rest is System.CommandLine's own layout.
/// </summary>
internal static class CommandHelp
{
    private const string Requirement = """
        Requirements:
          Reading another process needs root or CAP_SYS_PTRACE (Docker: --cap-add SYS_PTRACE; Kubernetes:
          securityContext.capabilities.add: [SYS_PTRACE]), and kernel.yama.ptrace_scope below 3. With
          ptrace_scope 1 a user without CAP_SYS_PTRACE can profile only what it launches (-- COMMAND).
        """;

    private static readonly Dictionary<string, (string Usage, string Examples)> Extras = new(StringComparer.Ordinal)
    {
        ["record"] = ("""
              pyrometer record [options] --pid PID|auto
              pyrometer record [options] --match REGEX
              pyrometer record [options] -- COMMAND [ARG...]
            """, """
            Examples:
              pyrometer record --pid 1234 -o profile.svg        attach to PID 1234 until Ctrl-C; a flamegraph
              pyrometer record -d 30 -- python app.py           launch app.py, profile it (at most 30 s)
              pyrometer record -s --match 'gunicorn: master'    the master and every worker, as they come and go
              pyrometer record --pid auto -f speedscope,pprof --output-dir out/
                                                                the busiest Python process; two formats, one file each
              pyrometer record --pid 1234 --mode wall -t        idle threads too (where they wait), per thread
              pyrometer record --pid 1234 -f speedscope -o app.speedscope.json
                                                                a timeline per thread (speedscope's Time Order)
              pyrometer record --pid 1234 --icicle --width 1800 a wider flamegraph, root at the top
            """),
        ["top"] = ("""
              pyrometer top [options] --pid PID|auto
              pyrometer top [options] --match REGEX
            """, """
            Examples:
              pyrometer top --pid 1234                          the functions using the most CPU, refreshed every second
              pyrometer top -s --match gunicorn --sort total    a whole worker tree, by total time
              pyrometer top --pid auto --mode wall -n 5 > top.txt
                                                                five refreshes of every thread's time, to a file

            Keys: 1 %Own, 2 %Total, 3 OwnTime, 4 TotalTime, 5 Function pick the sort column; q quits.
            """),
        ["dump"] = ("""
              pyrometer dump [options] --pid PID|auto
              pyrometer dump [options] --match REGEX
            """, """
            Examples:
              pyrometer dump --pid 1234                         every thread's stack, once
              pyrometer dump -s --match 'gunicorn: master' --json
                                                                the master and its workers, as JSON
              pyrometer dump --pid 1234 --async                 also every asyncio task, as a tree of who awaits whom
            """),
    };

    /// <summary>Wraps the help option's action (one option, shared by every subcommand).</summary>
    public static void Apply(RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction generated)
            {
                help.Action = new WithExamples(generated);
            }
        }
    }

    /// <summary>
    /// Whether the command line asks for help: then it is shown even when required arguments are missing
    /// (<c>pyrometer diff --help</c> has no BEFORE, AFTER or -o).
    /// </summary>
    public static bool IsHelp(ParseResult parsed) => parsed.Action is WithExamples or HelpAction;

    /// <summary>System.CommandLine's help text for <paramref name="command"/>, with our usage lines, examples and requirements.</summary>
    internal static string Amend(string text, Command command)
    {
        if (command is RootCommand || !Extras.TryGetValue(command.Name, out var extra))
        {
            return text;
        }
        // The generated usage line ("pyrometer record [<command>...] [options]") hides the -- form: ours replaces it.
        text = text.ReplaceLineEndings("\n");
        var start = text.IndexOf("Usage:\n", StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf("\n\n", start, StringComparison.Ordinal);
        if (end > start)
        {
            text = text[..start] + "Usage:\n" + extra.Usage.TrimEnd() + text[end..];
        }
        return text.TrimEnd() + "\n\n" + extra.Examples.TrimEnd() + "\n\n" + Requirement.TrimEnd() + "\n";
    }

    // HelpBuilder's layout hooks are internal in System.CommandLine 2.0: the generated text is captured and amended.
    private sealed class WithExamples(HelpAction generated) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var configuration = parseResult.InvocationConfiguration;
            var output = configuration.Output;
            var captured = new StringWriter();
            configuration.Output = captured;
            try
            {
                generated.Invoke(parseResult);
            }
            finally
            {
                configuration.Output = output;
            }
            output.Write(Amend(captured.ToString(), parseResult.CommandResult.Command));
            return 0;
        }
    }
}

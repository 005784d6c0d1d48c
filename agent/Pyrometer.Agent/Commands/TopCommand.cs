using System.Diagnostics;
using System.Globalization;
using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Session;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Commands;

/// <summary>
/// <c>pyrometer top</c>: samples continuously and redraws a table of the functions with the most own and
/// total time, like py-spy's top. On a terminal, keys 1–5 pick the sort column and q quits.
/// </summary>
internal static class TopCommand
{
    private const int Rows = 25;
    private static readonly TimeSpan KeyPoll = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(TopSettings settings, CancellationToken cancellationToken)
    {
        if (CommandTarget.Resolve(settings.Target, settings.Subprocesses, Console.Error, out var exitCode) is not { } pid)
        {
            return exitCode;
        }
        var probe = PythonProcessProbe.Create();
        using var watcher = new ProcessWatcher(pid, settings.Subprocesses, probe, new ProcProcessTable(ProcFs.Default));
        watcher.Scan();
        if (watcher.Current.Count == 0)
        {
            var error = watcher.RootError ?? new TargetError(TargetErrorKind.ProcessNotFound, TargetResolver.NoSuchProcess(pid));
            await Console.Error.WriteLineAsync($"pyrometer: {error.Message}").ConfigureAwait(false);
            return (int)OutcomeClassifier.ExitCode(OutcomeClassifier.Code(error.Kind));
        }
        watcher.Start(TimeSpan.FromMilliseconds(100));

        var window = new TopWindow();
        var table = new TopTable(settings.Rate);
        using var states = new ProcThreadStates();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = new Sampler(watcher, states, window, new SamplerSettings(settings.Rate, null, settings.Mode, Environment.ProcessId));
        var sampling = Task.Factory.StartNew(() =>
        {
            WakeupHints.ApplyToCurrentThread();
            return sampler.Run(stop.Token);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var interactive = !Console.IsOutputRedirected && !Console.IsInputRedirected;
        var sort = settings.Sort;
        var hint = "";
        async Task DrawAsync()
        {
            var screen = Render(table, sort, sampler.Stats, watcher.Current.Count, settings, hint, interactive);
            await Console.Out.WriteAsync((interactive ? "\u001b[H\u001b[2J" : "") + screen).ConfigureAwait(false);
        }
        try
        {
            for (var shown = 0; settings.Iterations is null || shown < settings.Iterations; shown++)
            {
                var clock = Stopwatch.StartNew();
                var quit = false;
                while (clock.Elapsed < settings.Interval && !quit)
                {
                    await Task.Delay(KeyPoll, cancellationToken).ConfigureAwait(false);
                    var key = interactive ? ReadKey() : null;
                    quit = key == 'q';
                    if (key is { } k && SortFor(k) is { } picked)
                    {
                        sort = picked;
                        await DrawAsync().ConfigureAwait(false);   // at once, with the data already shown
                    }
                }
                if (quit)
                {
                    break;
                }
                table.Add(window.Swap());
                hint = table.WindowSamples == 0 && !settings.Subprocesses
                    ? ChildrenHint.NoSamples(settings.Mode, ChildrenHint.CountPythonDescendants(ProcFs.Default, pid))
                    : "";
                await DrawAsync().ConfigureAwait(false);
                if (sampling.IsCompleted)
                {
                    break;   // the target exited
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: a normal way to leave top.
        }
        await stop.CancelAsync().ConfigureAwait(false);
        await sampling.ConfigureAwait(false);
        return (int)AgentExitCode.Ok;
    }

    /// <summary>The key that picks a sort column, as the column's position in the header (1 = %Own … 5 = Function).</summary>
    internal static TopSort? SortFor(char key) => key is >= '1' and <= '5' ? (TopSort)(key - '1') : null;

    internal static string Render(TopTable table, TopSort sort, SamplerStats stats, int processes, TopSettings settings, string hint, bool interactive)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new System.Text.StringBuilder();
        var mode = settings.Mode.ToString().ToLowerInvariant();
        text.AppendLine(string.Create(inv,
            $"pyrometer top: {processes} process(es), {mode} mode, sorted by {Names[(int)sort]}; {table.WindowSamples:N0} samples in the last {settings.Interval.TotalSeconds:0.#} s, {stats.Samples:N0} since start"));
        text.AppendLine(string.Create(inv,
            $"  {stats.MissedTicks:N0} ticks missed (the sampler fell behind), {stats.ErrorSamples:N0} stacks dropped (they changed while being read)"));
        if (hint.Length > 0)
        {
            text.AppendLine("  no samples: " + hint);
        }
        text.AppendLine();
        text.Append(table.Render(sort, Rows));
        if (interactive)
        {
            text.AppendLine();
            text.AppendLine("Sort: 1 %Own  2 %Total  3 OwnTime  4 TotalTime  5 Function   q: quit");
        }
        return text.ToString();
    }

    private static readonly string[] Names = ["%Own", "%Total", "OwnTime", "TotalTime", "Function"];

    private static char? ReadKey()
    {
        try
        {
            return Console.KeyAvailable ? Console.ReadKey(intercept: true).KeyChar : null;
        }
        catch (InvalidOperationException)
        {
            return null;   // no console to read keys from after all
        }
    }
}

using System.Globalization;
using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Session;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Commands;

/// <summary>
/// <c>pyrometer top</c>: samples continuously in CPU mode and redraws a table of the functions
/// with the most own and total time over the last interval, like <c>top</c>.
/// </summary>
internal static class TopCommand
{
    private const int Rows = 25;

    public static async Task<int> RunAsync(int pid, bool subprocesses, int rate, TimeSpan interval, int? iterations, CancellationToken cancellationToken)
    {
        var probe = PythonProcessProbe.Create();
        using var watcher = new ProcessWatcher(pid, subprocesses, probe, new ProcProcessTable(ProcFs.Default));
        watcher.Scan();
        if (watcher.Current.Count == 0)
        {
            var error = watcher.RootError ?? new TargetError(TargetErrorKind.ProcessNotFound, $"no process {pid} in this PID namespace");
            await Console.Error.WriteLineAsync($"pyrometer: {error.Message}").ConfigureAwait(false);
            return (int)OutcomeClassifier.ExitCode(OutcomeClassifier.Code(error.Kind));
        }
        watcher.Start(TimeSpan.FromMilliseconds(100));

        var window = new WindowSink();
        using var states = new ProcThreadStates();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = new Sampler(watcher, states, window, new SamplerSettings(rate, null, SamplingMode.Cpu, Environment.ProcessId));
        var sampling = Task.Factory.StartNew(() =>
        {
            WakeupHints.ApplyToCurrentThread();
            return sampler.Run(stop.Token);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var interactive = !Console.IsOutputRedirected;
        try
        {
            for (var shown = 0; iterations is null || shown < iterations; shown++)
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                var profile = window.Swap();
                var screen = Render(profile, sampler.Stats, watcher.Current.Count, interval);
                await Console.Out.WriteAsync((interactive ? "\u001b[H\u001b[2J" : "") + screen).ConfigureAwait(false);
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

    internal static string Render(Profile profile, SamplerStats stats, int processes, TimeSpan interval)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new System.Text.StringBuilder();
        text.AppendLine(string.Create(inv,
            $"pyrometer top — {processes} process(es), {profile.TotalSamples:N0} samples in the last {interval.TotalSeconds:0.#} s, {stats.Samples:N0} in all, {stats.MissedTicks:N0} missed, {stats.ErrorSamples:N0} errors"));
        text.AppendLine();
        text.AppendLine("  %Own  %Total  Function (file:line)");
        foreach (var function in ProfileSummary.TopFunctions(profile, Rows))
        {
            text.AppendLine(string.Create(inv, $"{function.SelfPercent,6:0.0}  {function.TotalPercent,6:0.0}  {function.Function} ({function.File}:{function.Line})"));
        }
        return text.ToString();
    }

    /// <summary>Collects one refresh interval's samples; the screen thread swaps it out.</summary>
    private sealed class WindowSink : IStackSink
    {
        private readonly Lock _lock = new();
        private ProfileBuilder _builder = new();
        private ProfileSink _sink;

        public WindowSink() => _sink = new ProfileSink(_builder, processFrames: false, threadFrames: false);

        public void Add(IProcessSampler process, ThreadStack stack)
        {
            lock (_lock)
            {
                _sink.Add(process, stack);
            }
        }

        public void TickCompleted(long timestamp)
        {
        }

        public Profile Swap()
        {
            ProfileBuilder full;
            lock (_lock)
            {
                full = _builder;
                _builder = new ProfileBuilder();
                _sink = new ProfileSink(_builder, processFrames: false, threadFrames: false);
            }
            return full.Build(ProfileMetadata.None);
        }
    }
}

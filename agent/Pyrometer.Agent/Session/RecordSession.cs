using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Upload;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Session;

/// <summary>
/// One <c>pyrometer record</c>: find the target, sample until the duration, a signal or the
/// target's exit, then write and upload the artifacts and the result. Whatever was sampled is
/// kept, whichever way sampling ends.
/// </summary>
internal sealed class RecordSession(RecordSettings settings, IProcessProbe probe, ProcFs procFs, TextWriter log)
{
    /// <summary>How long to wait for a first Python process among the descendants of a non-Python root.</summary>
    private static readonly TimeSpan DescendantWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(50);

    // A respawned worker is sampled within about this long plus its attach (goal: 0.2 s); each scan
    // reads every thread's children file of the tree, so not more often than needed.
    private static readonly TimeSpan TreeWatchInterval = TimeSpan.FromMilliseconds(100);

    // One process needs no discovery: a scan only notices its exit, which the sampler also sees.
    private static readonly TimeSpan SingleProcessWatchInterval = TimeSpan.FromSeconds(1);

    // Bound on reaping a launched command whose exit the reads saw (it takes milliseconds).
    private static readonly TimeSpan LaunchedExitWait = TimeSpan.FromSeconds(5);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        // From the start: a signal during a launch wait stops the agent too.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        var writer = new ArtifactSet(settings, startedAt);
        if (CheckOutputs(writer) is { } unwritable)
        {
            return await UnwritableAsync(unwritable, startedAt).ConfigureAwait(false);
        }

        var root = new TargetResolver(procFs, Notice).Resolve(settings.Target, out var launched, out var resolveCode, out var resolveError, settings.Subprocesses,
            settings.UploadVariable is { } variable ? [variable] : null);
        if (root is null)
        {
            writer.CleanUp();
            return await FailAsync(resolveCode, resolveError, startedAt).ConfigureAwait(false);
        }

        var attachProbe = probe;
        if (launched is not null && !settings.Subprocesses)
        {
            IProcessSampler? attached;
            TargetError? launchError;
            try
            {
                (attached, launchError) = await LaunchWait.ForInterpreterAsync(launched, probe, settings.Target.Command[0], LaunchWait.Bound, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                (attached, launchError) = (null, new TargetError(TargetErrorKind.ProcessNotFound, "stopped by a signal before the command's interpreter was running"));
            }
            if (attached is null)
            {
                return await FailLaunchAsync(launched, writer, launchError!, startedAt).ConfigureAwait(false);
            }
            attachProbe = new PreattachedProbe(probe, attached);
        }

        using var watcher = new ProcessWatcher(root.Value, settings.Subprocesses, attachProbe, new ProcProcessTable(procFs), Notice);
        if (!await AttachAsync(watcher, launched is not null, stop.Token).ConfigureAwait(false))
        {
            var error = watcher.RootError ?? new TargetError(TargetErrorKind.ProcessNotFound, $"process {root} has exited");
            if (launched is not null)
            {
                return await FailLaunchAsync(launched, writer, error, startedAt).ConfigureAwait(false);
            }
            writer.CleanUp();
            return await FailAsync(OutcomeClassifier.Code(error.Kind), error.Message + ChildHint(root.Value, error), startedAt).ConfigureAwait(false);
        }
        if (settings.Subprocesses)
        {
            watcher.Start(TreeWatchInterval);
        }
        else
        {
            watcher.StartInline(SingleProcessWatchInterval);
        }

        var builder = new ProfileBuilder();
        // Only speedscope shows the order of samples: the other formats need no timeline's memory.
        var timeline = settings.Formats.Contains(OutputFormats.Speedscope.Name) ? new TimelineRecorder(Stopwatch.Frequency, settings.Rate) : null;
        var sink = new ProfileSink(builder, processFrames: settings.Subprocesses, threadFrames: settings.Threads, timeline);
        // pprof's samples carry thread and process labels (for -tagfocus) however the other formats aggregate: unless
        // the profile already has process and thread frames, a second builder counts each stack under both, for
        // the pprof file only.
        var labelled = settings.Formats.Contains(OutputFormats.Pprof.Name) && !(settings.Subprocesses && settings.Threads) ? new ProfileBuilder() : null;
        IStackSink sampled = labelled is null ? sink : new TeeStackSink(sink, new ProfileSink(labelled, processFrames: true, threadFrames: true));
        using var threadStates = new ProcThreadStates();
        var loops = settings.BlockedThreshold is { } threshold ? new LoopBlockTracker(threshold, Stopwatch.Frequency) : null;
        var sampler = new Sampler(watcher, threadStates, sampled, new SamplerSettings(settings.Rate, settings.Duration, settings.Mode, Environment.ProcessId), loops);
        SamplerStats stats;
        var agentAgeAtLoopStart = procFs.TryReadStat(Environment.ProcessId) is { } self ? ProcessAge.Of(self.StartTime, procFs.Root) : null;
        using (settings.Progress ? new ProgressLine(() => sampler.Stats, settings.Duration, TimeSpan.FromMilliseconds(250)) : null)
        {
            // On this thread: nothing else runs meanwhile, and another thread would cost its start.
            WakeupHints.ApplyToCurrentThread();
            stats = sampler.Run(stop.Token);
        }
        if (stats.FirstSampleAfter is { } first)
        {
            // From the agent's own start (10 ms resolution), not just the loop's: attach cost counts.
            var launch = agentAgeAtLoopStart ?? TimeSpan.Zero;
            Notice(string.Create(CultureInfo.InvariantCulture, $"first sample {(launch + first).TotalMilliseconds:0} ms after start"));
        }
        var seen = watcher.Seen;
        watcher.Dispose();
        // Our child: collect its exit so it leaves no zombie. One still running is left running; one
        // whose exit ended the run may still be tearing its memory down, so it gets a moment.
        if (stats.StoppedBecause == StopReason.TargetExited)
        {
            launched?.WaitForExit(LaunchedExitWait);
        }
        launched?.TryReap();

        var profile = builder.Build(new ProfileMetadata
        {
            Target = Describe(seen),
            PythonVersions = seen.Select(p => p.PythonVersion).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            StartTime = startedAt,
            Duration = stats.Elapsed,
            RateHz = settings.Rate,
            MissedSamples = stats.MissedTicks,
            ErrorSamples = stats.ErrorSamples,
        }, timeline);
        if (profile.Timeline is { Truncated: true } cut)
        {
            Notice(string.Create(CultureInfo.InvariantCulture,
                $"speedscope: samples are in time order for the first {cut.EndMicroseconds / 1e6:0.#} s ({cut.Ticks} ticks); later ones are added at the end of each thread, in aggregate"));
        }
        var artifacts = writer.Write(profile, root.Value, labelled?.Build(profile.Metadata));
        var uploads = await UploadAsync(artifacts, cancellationToken).ConfigureAwait(false);
        var temporary = artifacts.Where(a => writer.IsTemporary(a.Path)).Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        writer.CleanUp();

        var children = settings.Subprocesses ? 0 : ChildrenHint.CountPythonDescendants(procFs, root.Value);
        var result = ResultBuilder.Build(settings, startedAt, stats, profile, seen, sink.SamplesByProcess, artifacts, uploads, launchedTarget: launched is not null, children)
            with { EventLoopBlocked = LoopBlockingResult.From(loops?.ByProcess.Values) };
        if (settings.Mode == SamplingMode.Async && stats.AsyncProblem is { } asyncProblem)
        {
            Notice("no asyncio tasks were read: " + asyncProblem + "; threads were sampled as in wall mode");
        }
        if (children > 0 && stats.Samples > 0)
        {
            Notice(string.Create(CultureInfo.InvariantCulture, $"PID {root} was sampled alone: {ChildrenHint.Text(children)}"));
        }
        WriteResult(result);
        Summary.Print(Console.Out, result, artifacts, stats, temporary.Contains);
        return ResultBuilder.ExitCode(result);
    }

    private async Task<bool> AttachAsync(ProcessWatcher watcher, bool launched, CancellationToken cancellationToken)
    {
        watcher.Scan();
        var waited = Stopwatch.StartNew();
        // A non-Python root (a shell, a supervisor) may start Python children a moment later; a
        // launched command is given as long as a launched interpreter.
        var bound = launched ? LaunchWait.Bound : DescendantWait;
        try
        {
            while (watcher.Current.Count == 0 && settings.Subprocesses && !watcher.RootExited && waited.Elapsed < bound)
            {
                await Task.Delay(WatchInterval, cancellationToken).ConfigureAwait(false);
                watcher.Scan();
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        return watcher.Current.Count > 0;
    }

    /// <summary>Before anything is launched or sampled: every output and the result file can be written.</summary>
    private string? CheckOutputs(ArtifactSet writer) =>
        writer.Check() ?? (settings.ResultFile is { } result ? WritableCheck.File(result, "result file") : null);

    // A usage error (exit 2): the command line names a place that cannot be written.
    private async Task<int> UnwritableAsync(string problem, DateTimeOffset startedAt)
    {
        await log.WriteLineAsync($"pyrometer: {problem}").ConfigureAwait(false);
        WriteResult(ResultBuilder.Failed(settings, startedAt, ErrorCodes.AgentFailed, problem));
        return (int)AgentExitCode.Usage;
    }

    // The command we started is not (or not yet) something we can profile: it is ours, so it goes.
    private async Task<int> FailLaunchAsync(LaunchedProcess launched, ArtifactSet writer, TargetError error, DateTimeOffset startedAt)
    {
        launched.KillAndReap();
        writer.CleanUp();
        return await FailAsync(OutcomeClassifier.Code(error.Kind), error.Message + "; the command was stopped", startedAt).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<string, UploadOutcome>> UploadAsync(IReadOnlyList<WrittenArtifact> artifacts, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<string, UploadOutcome>(StringComparer.Ordinal);
        if (settings.Uploads.Count == 0)
        {
            return outcomes;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var uploader = new ArtifactUploader(http, RetryPolicy.Default, TimeProvider.System);
        foreach (var target in settings.Uploads)
        {
            var artifact = artifacts.First(a => a.Format == target.Format);
            Notice($"uploading {target.Format} ({artifact.Bytes:N0} bytes) to {target.SafeUrl}");
            var outcome = await uploader.UploadAsync(target, artifact.Path, ArtifactFormats.ContentType(target.Format), cancellationToken).ConfigureAwait(false);
            outcomes[target.Format] = outcome;
            if (!outcome.Succeeded)
            {
                Notice($"upload of {target.Format} failed: {outcome.Error}");
            }
        }
        return outcomes;
    }

    // Synchronous like the artifacts (ArtifactSet.Write): a few hundred bytes, not worth the thread pool.
    private void WriteResult(AgentResult result)
    {
        if (settings.ResultFile is not { } path)
        {
            return;
        }
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }
            File.WriteAllBytes(path, AgentResultWriter.ToUtf8(result));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Notice($"could not write the result file {path}: {e.Message}");
        }
    }

    private async Task<int> FailAsync(string code, string message, DateTimeOffset startedAt)
    {
        await log.WriteLineAsync($"pyrometer: {message}").ConfigureAwait(false);
        WriteResult(ResultBuilder.Failed(settings, startedAt, code, message));
        return (int)OutcomeClassifier.ExitCode(code);
    }

    // The classic mistake: pointing at a shell or supervisor whose child is the interpreter.
    private string ChildHint(int root, TargetError error)
    {
        if (error.Kind != TargetErrorKind.NotPython || settings.Subprocesses)
        {
            return "";
        }
        var child = new ProcProcessTable(procFs).ChildrenOf(root)
            .FirstOrDefault(pid => Path.GetFileName(procFs.TryReadExecutable(pid) ?? "").StartsWith("python", StringComparison.Ordinal));
        return child == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $". Its child process {child} is Python: use --pid {child}, or --subprocesses to follow the whole tree");
    }

    private void Notice(string message) => log.WriteLine("pyrometer: " + message);

    private static string Describe(IReadOnlyList<ProcessSeen> seen) => seen.Count switch
    {
        0 => "no process",
        1 => string.Create(CultureInfo.InvariantCulture, $"pid {seen[0].ProcessId} {seen[0].CommandLine}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seen.Count} processes under pid {seen[0].ProcessId} {seen[0].CommandLine}"),
    };
}

using System.Globalization;
using System.Text.Json;
using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Session;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Introspection;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Commands;

/// <summary><c>pyrometer dump</c>: every thread's current Python stack, once; with <c>--async</c> every asyncio task too.</summary>
internal static class DumpCommand
{
    /// <summary>Reads of a process before a thread whose stack keeps changing under the reader is reported unreadable.</summary>
    internal const int Attempts = 5;

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(5);

    public static async Task<int> RunAsync(TargetSelector target, bool subprocesses, bool json, bool locals, bool tasks, CancellationToken cancellationToken)
    {
        if (CommandTarget.Resolve(target, subprocesses, Console.Error, out var exitCode) is not { } pid)
        {
            return exitCode;
        }
        var output = Dump(pid, subprocesses, PythonProcessProbe.Create(), ProcFs.Default, out var rootError, locals, tasks);
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(output, DumpJsonContext.Default.DumpOutput)).ConfigureAwait(false);
        }
        else
        {
            WriteText(Console.Out, output);
        }
        if (output.Processes.Count == 0 && rootError is not null)
        {
            await Console.Error.WriteLineAsync($"pyrometer: {rootError.Message}").ConfigureAwait(false);
            return (int)OutcomeClassifier.ExitCode(OutcomeClassifier.Code(rootError.Kind));
        }
        return (int)AgentExitCode.Ok;
    }

    internal static DumpOutput Dump(int pid, bool subprocesses, IProcessProbe probe, ProcFs procFs, out TargetError? rootError, bool locals = false, bool tasks = false)
    {
        using var watcher = new ProcessWatcher(pid, subprocesses, probe, new ProcProcessTable(procFs));
        watcher.Scan();
        rootError = watcher.RootError ?? (watcher.Current.Count == 0 ? new TargetError(TargetErrorKind.ProcessNotFound, TargetResolver.NoSuchProcess(pid)) : null);
        using var states = new ProcThreadStates();
        var processes = new List<DumpProcess>();
        var errors = new List<string>();
        foreach (var process in watcher.Current.OrderBy(p => p.ProcessId))
        {
            if (ReadWhole(process, errors) is { } stacks)
            {
                var threads = stacks
                    .Select(s => new DumpThread(s.ThreadId, s.NativeThreadId, s.NativeThreadId != 0 && states.IsRunning(process.ProcessId, s.NativeThreadId), s.HoldsGil,
                        Frames(process, s, locals), process.ThreadName(s)))
                    .ToArray();
                string? problem = null;
                var asyncTasks = tasks ? DumpTasks.Read(process, stacks, out problem) : null;
                processes.Add(new DumpProcess(process.ProcessId, process.CommandLine, process.Version.ToString(), threads,
                    tasks ? asyncTasks ?? [] : null, tasks ? problem : null));
            }
        }
        return new DumpOutput(processes, errors);
    }

    private static DumpFrame[] Frames(IProcessSampler process, ThreadStack stack, bool locals)
    {
        var read = locals ? ReadLocals(process, stack) : null;
        return [.. stack.Frames.Select((f, i) => new DumpFrame(f.Name, f.QualifiedName, f.File, f.Line,
            !locals ? null : read?[i].Variables is { } variables ? [.. variables.Select(v => new DumpLocal(v.Name, v.Value))] : [],
            !locals ? null : read?[i].Variables is null))];
    }

    /// <summary>
    /// The thread's locals, read after its stack: while the thread runs on, its frames may differ from
    /// the stack's, so they are read up to <see cref="Attempts"/> times until they match frame for frame.
    /// </summary>
    internal static IReadOnlyList<FrameLocals>? ReadLocals(IProcessSampler process, ThreadStack stack)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (attempt > 0)
            {
                Thread.Sleep(RetryPause);
            }
            var read = process.ReadLocals(stack);
            if (read is not null && read.Count == stack.Frames.Count && read.Select(l => l.Function).SequenceEqual(stack.Frames.Select(f => f.Name)))
            {
                return read;
            }
        }
        return null;
    }

    /// <summary>
    /// Every thread's stack, read again while a busy thread's chain changes under the reader (its
    /// sample is torn and dropped): up to <see cref="Attempts"/> reads, keeping each thread's first
    /// whole stack. A thread still unread is named in <paramref name="errors"/>, never left out silently.
    /// </summary>
    internal static List<ThreadStack>? ReadWhole(IProcessSampler process, List<string> errors)
    {
        var inv = CultureInfo.InvariantCulture;
        var read = new Dictionary<ulong, ThreadStack>();
        var order = new List<ulong>();
        var stacks = new List<ThreadStack>();
        var missing = new Dictionary<ulong, DroppedThread>();
        var unnamed = 0;
        var status = SampleStatus.Ok;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (attempt > 0)
            {
                Thread.Sleep(RetryPause);
            }
            stacks.Clear();
            status = process.Sample(stacks);
            if (status is SampleStatus.Gone or SampleStatus.Denied)
            {
                break;
            }
            if (status != SampleStatus.Ok)
            {
                continue;                            // the whole sample was torn: read again
            }
            foreach (var stack in stacks)
            {
                if (read.TryAdd(stack.ThreadId, stack))
                {
                    order.Add(stack.ThreadId);
                }
            }
            missing.Clear();
            foreach (var dropped in process.LastDroppedThreads)
            {
                if (!read.ContainsKey(dropped.ThreadId))
                {
                    missing[dropped.ThreadId] = dropped;
                }
            }
            unnamed = process.LastDroppedCount - process.LastDroppedThreads.Count;
            if (missing.Count == 0 && unnamed <= 0)
            {
                break;
            }
        }
        switch (status)
        {
            case SampleStatus.Gone:
                errors.Add(string.Create(inv, $"pid {process.ProcessId}: the process exited while it was being read"));
                return null;
            case SampleStatus.Denied:
                errors.Add(string.Create(inv, $"pid {process.ProcessId}: access to its memory was refused"));
                return null;
            case SampleStatus.Dropped when order.Count == 0:
                errors.Add(string.Create(inv, $"pid {process.ProcessId}: its threads changed while being read, {Attempts} times in a row; try again or use --blocking"));
                return null;
            default:
                break;
        }
        foreach (var thread in missing.Values)
        {
            errors.Add(string.Create(inv,
                $"pid {process.ProcessId}: thread {thread.NativeThreadId} (0x{thread.ThreadId:x}) is unreadable: its stack changed while being read, {Attempts} times in a row"));
        }
        if (unnamed > 0)
        {
            errors.Add(string.Create(inv, $"pid {process.ProcessId}: {unnamed} thread(s) unreadable: their thread state did not add up, {Attempts} times in a row"));
        }
        return [.. order.Select(id => read[id])];
    }

    internal static void WriteText(TextWriter output, DumpOutput dump)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var process in dump.Processes)
        {
            output.WriteLine(string.Create(inv, $"Process {process.Pid}: {process.Cmd}"));
            output.WriteLine($"Python v{process.Python}");
            foreach (var thread in process.Threads)
            {
                var flags = (thread.Active ? "active" : "idle") + (thread.HoldsGil ? "+gil" : "");
                output.WriteLine();
                var name = thread.Name is { Length: > 0 } ? $" \"{thread.Name}\"" : "";
                output.WriteLine(string.Create(inv, $"Thread {thread.NativeThreadId} (0x{thread.ThreadId:x}){name} ({flags})"));
                foreach (var frame in thread.Frames)
                {
                    output.WriteLine(string.Create(inv, $"    {frame.Qualname} ({frame.File}:{frame.Line})"));
                    if (frame.LocalsUnavailable == true)
                    {
                        output.WriteLine($"        {ValueFormatter.Unavailable}");
                    }
                    foreach (var local in frame.Locals ?? [])
                    {
                        output.WriteLine($"        {local.Name} = {local.Value}");
                    }
                }
                DumpTasks.WriteGroup(output, process, thread.ThreadId, string.Create(inv, $"Thread {thread.NativeThreadId}'s loop"));
            }
            if (process.Tasks is not null)
            {
                DumpTasks.WriteGroup(output, process, 0, "No running loop");
                output.WriteLine();
                output.WriteLine(process.TasksProblem is { } problem
                    ? $"asyncio tasks: {problem}"
                    : string.Create(inv, $"asyncio tasks: {process.Tasks.Count}"));
            }
            output.WriteLine();
        }
        foreach (var error in dump.Errors)
        {
            output.WriteLine($"error: {error}");
        }
    }
}

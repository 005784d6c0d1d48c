using System.Globalization;
using System.Text.Json;
using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Session;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Commands;

/// <summary><c>pyrometer dump</c>: every thread's current Python stack, once.</summary>
internal static class DumpCommand
{
    public static async Task<int> RunAsync(int pid, bool subprocesses, bool json, CancellationToken cancellationToken)
    {
        var output = Dump(pid, subprocesses, PythonProcessProbe.Create(), ProcFs.Default, out var rootError);
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

    internal static DumpOutput Dump(int pid, bool subprocesses, IProcessProbe probe, ProcFs procFs, out TargetError? rootError)
    {
        using var watcher = new ProcessWatcher(pid, subprocesses, probe, new ProcProcessTable(procFs));
        watcher.Scan();
        rootError = watcher.RootError ?? (watcher.Current.Count == 0 ? new TargetError(TargetErrorKind.ProcessNotFound, $"no process {pid} in this PID namespace") : null);
        using var states = new ProcThreadStates();
        var processes = new List<DumpProcess>();
        var errors = new List<string>();
        var stacks = new List<ThreadStack>();
        foreach (var process in watcher.Current.OrderBy(p => p.ProcessId))
        {
            stacks.Clear();
            var status = process.Sample(stacks);
            if (status != SampleStatus.Ok)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"pid {process.ProcessId}: {status}"));
                continue;
            }
            var threads = stacks
                .Select(s => new DumpThread(s.ThreadId, s.NativeThreadId, s.NativeThreadId != 0 && states.IsRunning(process.ProcessId, s.NativeThreadId), s.HoldsGil,
                    s.Frames.Select(f => new DumpFrame(f.Name, f.QualifiedName, f.File, f.Line)).ToArray()))
                .ToArray();
            processes.Add(new DumpProcess(process.ProcessId, process.CommandLine, process.Version.ToString(), threads));
        }
        return new DumpOutput(processes, errors);
    }

    private static void WriteText(TextWriter output, DumpOutput dump)
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
                output.WriteLine(string.Create(inv, $"Thread {thread.NativeThreadId} (0x{thread.ThreadId:x}) ({flags})"));
                foreach (var frame in thread.Frames)
                {
                    output.WriteLine(string.Create(inv, $"    {frame.Qualname} ({frame.File}:{frame.Line})"));
                }
            }
            output.WriteLine();
        }
        foreach (var error in dump.Errors)
        {
            output.WriteLine($"error: {error}");
        }
    }
}

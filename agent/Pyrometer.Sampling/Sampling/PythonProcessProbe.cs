using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Python.Introspection;
using Pyrometer.Sampling.Python.Objects;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Attaches to a process: locates the interpreter, resolves the layout for its version (tables for
/// ≤3.12, the target's own debug offsets for 3.13+), and proves it with one trial walk.
/// </summary>
internal sealed class PythonProcessProbe(InterpreterLocator locator, ProcFs procFs, bool blocking = false) : IProcessProbe
{
    public static PythonProcessProbe Create(bool blocking = false) => new(new InterpreterLocator(ProcFs.Default), ProcFs.Default, blocking);

    public IProcessSampler? TryAttach(int pid, out TargetError? error)
    {
        var found = locator.Locate(pid);
        if (!found.IsSuccess)
        {
            error = new TargetError(found.Error.Code, found.Error.Message);
            return null;
        }
        var location = found.Location;
        var memory = new LinuxProcessMemory(pid);
        var layout = LayoutResolver.Resolve(memory, location, out var layoutError);
        if (layout is null)
        {
            error = new TargetError(TargetErrorKind.UnsupportedPython, $"process {pid} runs CPython {location.Version}, which this agent cannot read: {layoutError}");
            return null;
        }

        var walker = new StackWalker(memory, location, layout);
        var pauser = blocking ? new ThreadPauser(pid, procFs) : null;
        if (pauser is not null && !pauser.Pause())
        {
            error = new TargetError(TargetErrorKind.PermissionDenied, pauser.Problem!);
            return null;
        }
        var trial = walker.Sample();
        pauser?.Resume();
        if (trial.Error is SampleError.ProcessGone)
        {
            error = new TargetError(TargetErrorKind.ProcessNotFound, $"process {pid} exited while attaching");
            return null;
        }
        if (trial.Error is SampleError.PermissionDenied)
        {
            error = new TargetError(TargetErrorKind.PermissionDenied, $"reading process {pid} was refused after it was located; grant CAP_SYS_PTRACE to the profiler");
            return null;
        }
        if (trial.Error is SampleError.NoInterpreter)
        {
            // Still starting up (or shutting down): the watcher retries young processes.
            error = new TargetError(TargetErrorKind.NotPython, $"process {pid} has CPython {location.Version} but no interpreter is running yet");
            return null;
        }

        var key = procFs.TryReadKey(pid);
        if (key is null)
        {
            error = new TargetError(TargetErrorKind.ProcessNotFound, $"process {pid} exited while attaching");
            return null;
        }
        error = null;
        var command = procFs.TryReadCommandLine(pid) is { Length: > 0 } line ? line : procFs.TryReadStat(pid)?.Command ?? "";
        // Names and locals read ordinary objects, whose layouts are known for GIL builds only; without one,
        // threads keep the kernel's names and dump shows no locals.
        var objects = ObjectLayout.For(layout, memory, location.RuntimeAddress);
        var names = new ThreadNameCache(objects is null ? null : new ThreadNameReader(new ObjectReader(memory, objects), location.RuntimeAddress), pid, procFs);
        var locals = objects is null ? null : new FrameLocalsReader(new ObjectReader(memory, objects), location.RuntimeAddress);
        // Costs nothing until async mode asks for tasks: the reader finds asyncio's tables at its first read.
        var tasks = AsyncTaskReaders.Create(location, layout, memory, walker, out var tasksProblem);
        return new PythonProcessSampler(pid, key.Value.StartTime, command, location.Version, walker, pauser, names, locals,
            location.VersionSource == VersionSource.FileName ? () => ReadVersionAgain(pid) : null, tasks, tasksProblem);
    }

    // The ELF is cached, so this costs the maps and the version text; null keeps the version known so far.
    private PythonVersion? ReadVersionAgain(int pid) =>
        locator.Locate(pid) is { IsSuccess: true, Location: { VersionSource: not VersionSource.FileName } location } ? location.Version : null;
}

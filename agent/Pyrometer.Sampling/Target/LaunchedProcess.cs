using System.Collections;
using System.Runtime.InteropServices;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// A command started by the agent (<c>record -- CMD</c>), through posix_spawnp rather than
/// System.Diagnostics.Process: the runtime's SIGCHLD handler calls waitpid on its children, and on a
/// child the agent ptraces (<c>--blocking</c>) it consumed the ptrace stops as exits, never reaped the
/// real exit and spun, starving the signal thread so SIGTERM was ignored (issue #13). Here the agent
/// alone waits for the child: <see cref="TryReap"/> collects its exit, a zombie included.
/// </summary>
internal sealed partial class LaunchedProcess
{
    private const int WaitNoHang = 1;
    private const int Sigkill = 9;
    private const int SpawnSetSigDefault = 0x04;
    private const int SpawnSetSigMask = 0x08;
    private const int SpawnAttributeBytes = 1024;   // glibc's posix_spawnattr_t is 336 bytes
    private const int SignalSetBytes = 128;

    private LaunchedProcess(int processId) => ProcessId = processId;

    public int ProcessId { get; }

    /// <summary>The exit status once reaped: the code, or 128 + the signal; null while it runs.</summary>
    public int? ExitStatus { get; private set; }

    /// <summary>
    /// Starts <paramref name="command"/> (searched in PATH) with the agent's environment, less
    /// <paramref name="withheld"/> (secrets meant for the agent alone), and its standard streams.
    /// </summary>
    public static LaunchedProcess? Start(IReadOnlyList<string> command, IReadOnlyCollection<string> withheld, out string error)
    {
        var strings = new List<nint>();
        var pid = 0;
        var attributes = Marshal.AllocHGlobal(SpawnAttributeBytes);
        var signals = Marshal.AllocHGlobal(SignalSetBytes);
        try
        {
            var argv = command.Select(Utf8).Append(0).ToArray();
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .Where(e => !withheld.Contains((string)e.Key, StringComparer.Ordinal))
                .Select(e => Utf8($"{e.Key}={e.Value}")).Append(0).ToArray();
            // The runtime ignores SIGPIPE and may block signals: the command gets default dispositions
            // and an empty mask, as from a shell.
            var setup = PosixSpawnAttrInit(attributes)
                | SigFillSet(signals) | PosixSpawnAttrSetSigDefault(attributes, signals)
                | SigEmptySet(signals) | PosixSpawnAttrSetSigMask(attributes, signals)
                | PosixSpawnAttrSetFlags(attributes, (short)(SpawnSetSigDefault | SpawnSetSigMask));
            var result = setup != 0 ? setup : PosixSpawnP(out pid, command[0], 0, attributes, argv, environment);
            _ = PosixSpawnAttrDestroy(attributes);
            if (result != 0)
            {
                error = $"could not start '{command[0]}': {Marshal.GetPInvokeErrorMessage(result)}";
                return null;
            }
            error = "";
            return new LaunchedProcess(pid);
        }
        finally
        {
            strings.ForEach(Marshal.FreeHGlobal);
            Marshal.FreeHGlobal(signals);
            Marshal.FreeHGlobal(attributes);
        }

        nint Utf8(string text)
        {
            var pointer = Marshal.StringToCoTaskMemUTF8(text);
            strings.Add(pointer);
            return pointer;
        }
    }

    /// <summary>Collects the exit if the process has ended (a zombie is reaped); true once it has.</summary>
    public bool TryReap()
    {
        if (ExitStatus is not null)
        {
            return true;
        }
        int waited;
        int status;
        do
        {
            waited = WaitPid(ProcessId, out status, WaitNoHang);
        }
        while (waited < 0 && Marshal.GetLastPInvokeError() == 4);   // EINTR
        if (waited != ProcessId)
        {
            // Still running (0), or already collected elsewhere (ECHILD: --blocking's waitpid may reap it).
            if (waited < 0)
            {
                ExitStatus = -1;
            }
            return waited < 0;
        }
        // Exited: the code; killed: 128 + the signal, as a shell reports it.
        ExitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F);
        return true;
    }

    /// <summary>
    /// Waits (bounded) for a process seen exiting to be reaped: its memory goes before it becomes a
    /// zombie, so a run that ended at the first failing read would otherwise leave it unreaped.
    /// </summary>
    public bool WaitForExit(TimeSpan bound)
    {
        var deadline = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        while (!TryReap())
        {
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }
            Thread.Sleep(1);
        }
        return true;
    }

    /// <summary>Kills the process and waits for it (bounded), so it leaves no zombie.</summary>
    public void KillAndReap()
    {
        if (TryReap())
        {
            return;
        }
        _ = Kill(ProcessId, Sigkill);
        var deadline = Environment.TickCount64 + 5000;
        while (!TryReap() && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawnp", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawnP(out int processId, string file, nint fileActions, nint attributes, nint[] argv, nint[] environment);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int PosixSpawnAttrInit(nint attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int PosixSpawnAttrDestroy(nint attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int PosixSpawnAttrSetSigDefault(nint attributes, nint signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int PosixSpawnAttrSetSigMask(nint attributes, nint signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int PosixSpawnAttrSetFlags(nint attributes, short flags);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int SigFillSet(nint signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(nint signals);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

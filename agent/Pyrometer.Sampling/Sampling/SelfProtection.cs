using System.Runtime.InteropServices;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Makes the agent non-dumpable (prctl PR_SET_DUMPABLE 0). The agent reads processes that may run
/// as its own user, and its environment carries upload URLs (PYROMETER_UPLOADS): while dumpable, such
/// a target could read /proc/AGENT/environ and /proc/AGENT/mem, or ptrace the agent. Non-dumpable,
/// /proc/AGENT/* belongs to root and only a process with CAP_SYS_PTRACE gets in. The agent's own reads
/// of /proc/self and of its targets are unaffected (the kernel checks the target's flag, not the
/// reader's), and a command it launches is dumpable again from its execve. No core file is written.
/// </summary>
internal static partial class SelfProtection
{
    private const int PrSetDumpable = 4;
    private const int PrGetDumpable = 3;

    /// <summary>Clears the dumpable flag of the whole process; true when it is now clear.</summary>
    public static bool MakeNonDumpable() => Prctl(PrSetDumpable, 0, 0, 0, 0) == 0 && Prctl(PrGetDumpable, 0, 0, 0, 0) == 0;

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}

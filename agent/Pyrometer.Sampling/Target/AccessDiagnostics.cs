using System.Globalization;
using System.Text;

namespace Pyrometer.Sampling.Target;

/// <summary>Builds the message for "not allowed to read process N" from the facts that decide it.</summary>
internal static class AccessDiagnostics
{
    /// <summary>Gathers the facts from <paramref name="procFs"/> and describes them.</summary>
    public static string Describe(ProcFs procFs, int processId)
    {
        ArgumentNullException.ThrowIfNull(procFs);
        return Describe(
            processId,
            procFs.TryReadUids(processId)?.Effective,
            procFs.TryReadOwnUids()?.Effective,
            procFs.TryHasOwnEffectiveCapability(ProcFs.CapSysPtrace),
            procFs.TryReadYamaPtraceScope());
    }

    /// <summary>
    /// A message naming both uids, whether we hold CAP_SYS_PTRACE, the Yama scope, and what to change.
    /// Null arguments mean "could not be learned".
    /// </summary>
    public static string Describe(int processId, int? targetUid, int? ownUid, bool? hasCapSysPtrace, int? yamaScope)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Not allowed to read the memory of process {processId}");
        text.Append(CultureInfo.InvariantCulture, $" (target uid {Uid(targetUid)}, profiler uid {Uid(ownUid)}");
        text.Append(hasCapSysPtrace switch
        {
            true => ", profiler has CAP_SYS_PTRACE",
            false => ", profiler lacks CAP_SYS_PTRACE",
            null => "",
        });
        text.Append(yamaScope is { } scope
            ? string.Create(CultureInfo.InvariantCulture, $", kernel.yama.ptrace_scope = {scope}{YamaMeaning(scope)}). ")
            : ", Yama is not active: /proc/sys/kernel/yama/ptrace_scope is absent). ");
        if (hasCapSysPtrace == true || (targetUid is { } target && target == ownUid))
        {
            // The usual causes are ruled out: say what else refuses a read.
            text.Append(hasCapSysPtrace == true ? "The profiler holds CAP_SYS_PTRACE" : "Both run as the same user");
            text.Append(", so something else refused: the target may be non-dumpable (setuid, or prctl(PR_SET_DUMPABLE, 0)), ");
            text.Append("run in a user namespace the profiler has no privilege in, or a security module (seccomp, AppArmor, SELinux) ");
            text.Append("may block process_vm_readv. ");
        }
        text.Append("Reading another process needs CAP_SYS_PTRACE unless both run as the same user");
        text.Append(yamaScope is >= 1 ? " and Yama allows it" : "");
        text.Append(". Run the profiler as the target's user, or grant CAP_SYS_PTRACE: in Kubernetes add ");
        text.Append("securityContext.capabilities.add: [SYS_PTRACE] to the profiler container; with Docker use --cap-add SYS_PTRACE.");
        if (yamaScope == 3)
        {
            text.Append(" With ptrace_scope 3 nothing can read other processes until the node reboots with a lower value.");
        }
        return text.ToString();
    }

    private static string Uid(int? uid) => uid?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static string YamaMeaning(int scope) => scope switch
    {
        0 => " (classic rules)",
        1 => " (only descendants, unless CAP_SYS_PTRACE)",
        2 => " (only with CAP_SYS_PTRACE)",
        3 => " (no process may read another)",
        _ => "",
    };
}

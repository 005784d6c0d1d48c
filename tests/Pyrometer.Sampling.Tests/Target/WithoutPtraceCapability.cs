using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Pyrometer.Sampling.Tests.Target;

/// <summary>
/// Runs code on a fresh thread whose effective capability set lacks CAP_SYS_PTRACE. The kernel keeps
/// credentials per thread and glibc's capset is a plain system call (unlike setuid, it is not spread
/// to the other threads), so the test host keeps its capabilities and the thread ends afterwards.
/// </summary>
internal static partial class WithoutPtraceCapability
{
    private const uint CapabilityVersion3 = 0x20080522;
    private const int CapSysPtrace = 19;

    public static bool IsPossible => Environment.UserName == "root";

    public static T Run<T>(Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                DropFromEffectiveSet(CapSysPtrace);
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static unsafe void DropFromEffectiveSet(int capability)
    {
        var header = new CapHeader { Version = CapabilityVersion3, Pid = 0 };
        var data = stackalloc CapData[2];
        if (CapGet(&header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastSystemError()}");
        }
        data[capability / 32].Effective &= ~(1u << (capability % 32));
        if (CapSet(&header, data) != 0)
        {
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastSystemError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static unsafe partial int CapGet(CapHeader* header, CapData* data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static unsafe partial int CapSet(CapHeader* header, CapData* data);

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }
}

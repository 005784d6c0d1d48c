using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Sleeps until an absolute <see cref="Stopwatch"/> timestamp with clock_nanosleep(TIMER_ABSTIME):
/// Thread.Sleep rounds to whole milliseconds, which cannot hold a 1 kHz schedule.
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsTime = 1;
    private const int Eintr = 4;

    public static void Until(long stopwatchTimestamp, CancellationToken cancellationToken)
    {
        // Stopwatch on Linux reads CLOCK_MONOTONIC in nanoseconds (Frequency == 1e9).
        var nanoseconds = Stopwatch.Frequency == 1_000_000_000
            ? stopwatchTimestamp
            : (long)(stopwatchTimestamp * (1e9 / Stopwatch.Frequency));
        var target = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = ClockNanosleep(ClockMonotonic, TimerAbsTime, in target, IntPtr.Zero);
            if (result != Eintr)
            {
                return;
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remain);
}

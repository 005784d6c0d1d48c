using System.Globalization;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class WakeupHintsTests
{
    [Fact]
    public void ApplyToCurrentThread_WhenBothHintsTakeEffect_SetsA100MicrosecondSliceOnThatThreadOnly()
    {
        int applied = 0;
        long? before = null, after = null, otherThread = null;
        // A thread of its own, so the test runner's threads keep their settings.
        var thread = new Thread(() =>
        {
            before = Slice();
            applied = WakeupHints.ApplyToCurrentThread();
            after = Slice();
        });
        thread.Start();
        thread.Join();
        otherThread = Slice();

        Assert.InRange(applied, 1, 2);   // timer slack has been settable since Linux 2.6.28
        if (after is null)
        {
            return;                       // a kernel without EEVDF shows no slice
        }
        if (applied == 2)
        {
            Assert.Equal(100_000, after);
            Assert.NotEqual(100_000, otherThread);
        }
        else
        {
            Assert.Equal(before, after);
        }
    }

    // se.slice of the calling thread in ns, from /proc/thread-self/sched (EEVDF kernels, 6.6+).
    private static long? Slice()
    {
        foreach (var line in File.ReadLines("/proc/thread-self/sched"))
        {
            if (line.StartsWith("se.slice", StringComparison.Ordinal))
            {
                return long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}

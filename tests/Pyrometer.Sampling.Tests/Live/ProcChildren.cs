using System.Globalization;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>Finds a launcher's child (e.g. what <c>unshare -f</c> forked) by its id in our PID namespace.</summary>
public static class ProcChildren
{
    /// <summary>The first child of <paramref name="pid"/>, waiting up to 10 s for it to appear.</summary>
    public static int WaitForFirst(int pid)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (Environment.TickCount64 < deadline)
        {
            try
            {
                var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (children.Length > 0)
                {
                    return int.Parse(children[0], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // Not there yet, or the launcher failed: the deadline decides.
            }
            Thread.Sleep(10);
        }
        throw new TimeoutException($"process {pid} started no child within 10 s");
    }
}

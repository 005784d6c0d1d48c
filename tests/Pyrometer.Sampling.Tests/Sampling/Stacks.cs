using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Tests.Sampling;

internal static class Stacks
{
    public static ThreadStack Busy(int tid, bool gil = true) => new(0x7f00, tid, gil,
        [new PythonFrame("hot", "hot", "app.py", 10), new PythonFrame("<module>", "<module>", "app.py", 20)]);

    public static ThreadStack Waiting(int tid) => new(0x7f01, tid, false,
        [new PythonFrame("wait", "Condition.wait", "/usr/lib/python3.11/threading.py", 320), new PythonFrame("run", "run", "app.py", 5)]);
}

using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Frames that mean "waiting" even while the OS reports the thread runnable — the moment around a
/// blocking call — so CPU mode does not charge them as work.
/// </summary>
internal static class IdleFrames
{
    public static bool IsWaiting(PythonFrame top)
    {
        var file = top.File;
        return top.Name switch
        {
            "wait" => file.EndsWith("threading.py", StringComparison.Ordinal),
            "select" or "poll" or "epoll" => file.EndsWith("selectors.py", StringComparison.Ordinal)
                || file.EndsWith("asyncore.py", StringComparison.Ordinal),
            "accept" => file.EndsWith("socket.py", StringComparison.Ordinal),
            _ => false,
        };
    }
}

using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Sampling;

/// <summary>Attaches to processes whose executable looks like Python, per a table.</summary>
internal sealed class FakeProbe(FakeProcessTable table) : IProcessProbe
{
    public List<int> Attempts { get; } = [];
    public List<FakeProcessSampler> Attached { get; } = [];
    public TargetErrorKind? FailWith { get; set; }

    public IProcessSampler? TryAttach(int pid, out TargetError? error)
    {
        Attempts.Add(pid);
        if (FailWith is { } kind)
        {
            error = new TargetError(kind, $"pid {pid}: {kind}");
            return null;
        }
        if (!table.TryGetStartTime(pid, out var start) || !(table.ExecutablePath(pid) ?? "").Contains("python", StringComparison.Ordinal))
        {
            error = new TargetError(TargetErrorKind.NotPython, $"pid {pid} is not Python");
            return null;
        }
        error = null;
        var sampler = new FakeProcessSampler(pid, start, Stacks.Busy(pid));
        Attached.Add(sampler);
        return sampler;
    }
}

using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Session;

/// <summary>Hands the watcher a sampler attached beforehand (<see cref="LaunchWait"/>) instead of attaching twice.</summary>
internal sealed class PreattachedProbe(IProcessProbe inner, IProcessSampler attached) : IProcessProbe
{
    private IProcessSampler? _attached = attached;

    public IProcessSampler? TryAttach(int pid, out TargetError? error)
    {
        if (_attached is { } sampler && sampler.ProcessId == pid)
        {
            _attached = null;
            error = null;
            return sampler;
        }
        return inner.TryAttach(pid, out error);
    }
}

namespace Pyrometer.Sampling.Sampling;

/// <summary>Attaches to a process if it is a CPython interpreter we can read.</summary>
internal interface IProcessProbe
{
    /// <summary>Returns a sampler, or null with <paramref name="error"/> saying why not.</summary>
    IProcessSampler? TryAttach(int pid, out TargetError? error);
}

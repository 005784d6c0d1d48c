namespace Pyrometer.Agent.Tests.Integration;

/// <summary>A test that needs CPython 3.15's async-aware sampler; skipped, saying what is missing, without it.</summary>
internal sealed class CPythonSamplerFactAttribute : FactAttribute
{
    public CPythonSamplerFactAttribute() => Skip = CPythonSampler.Missing;
}

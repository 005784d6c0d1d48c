using Xunit.Sdk;

namespace Pyrometer.Sampling.Tests.Live;

/// <summary>
/// A test that runs once per interpreter in <see cref="TestPythons"/>; the method takes one
/// <see cref="TestPython"/> parameter. Interpreters listed as missing, or older than
/// <see cref="MinVersion"/>, appear as skipped cases with the reason; with no interpreter at all the
/// test reports one skipped case saying how to install them. It never passes without running.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Pyrometer.Sampling.Tests.Live.PythonTheoryDiscoverer", "Pyrometer.Sampling.Tests")]
public sealed class PythonTheoryAttribute : FactAttribute
{
    /// <summary>Oldest minor version the test applies to, e.g. "3.11"; older interpreters are skipped rows.</summary>
    public string? MinVersion { get; set; }

    /// <summary>
    /// A module the test's script imports, e.g. "uvloop": interpreters that cannot import it (from their own
    /// path or from <c>&lt;prefix&gt;/lib/python3/dist-packages</c>, where Debian packages are unpacked) are skipped rows.
    /// </summary>
    public string? Module { get; set; }
}

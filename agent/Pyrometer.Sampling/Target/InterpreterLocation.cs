using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// Where a process's CPython interpreter lives: what discovery hands to the layout and the
/// stack walker. Every address is a run-time address in the target (load bias applied).
/// </summary>
/// <param name="ProcessId">The target, as a PID in our namespace.</param>
/// <param name="Version">Detected version and flavour.</param>
/// <param name="RuntimeAddress">Address of <c>_PyRuntime</c>.</param>
/// <param name="Symbols">Run-time addresses of the exported symbols found, by name
/// (<c>_PyRuntime</c>, <c>Py_Version</c>, <c>PyCode_Type</c>, <c>PyUnicode_Type</c>, <c>PyBytes_Type</c>, …).</param>
/// <param name="BinaryPath">The ELF that holds the interpreter (libpython or the executable), as named in the maps.</param>
internal sealed record InterpreterLocation(
    int ProcessId,
    PythonVersion Version,
    ulong RuntimeAddress,
    IReadOnlyDictionary<string, ulong> Symbols,
    string BinaryPath)
{
    /// <summary>Run-time minus link-time address of <see cref="BinaryPath"/>'s symbols and sections.</summary>
    public ulong LoadBias { get; init; }

    /// <summary>How the version was learned; <see cref="VersionSource.FileName"/> means the patch level is unknown (0).</summary>
    public VersionSource VersionSource { get; init; }

    public ulong? Symbol(string name) => Symbols.TryGetValue(name, out var address) ? address : null;
}

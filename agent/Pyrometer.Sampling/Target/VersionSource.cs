namespace Pyrometer.Sampling.Target;

/// <summary>Where discovery learned the interpreter's version, most to least trustworthy.</summary>
internal enum VersionSource
{
    /// <summary>The <c>_Py_DebugOffsets</c> header at <c>_PyRuntime</c> (3.13+).</summary>
    DebugOffsets,

    /// <summary>The exported <c>Py_Version</c> constant (3.11+).</summary>
    PyVersionSymbol,

    /// <summary>The <c>sys.version</c> text the interpreter wrote into its static buffer at start-up.</summary>
    VersionText,

    /// <summary>Only the binary's file name (<c>libpython3.X</c>): no patch level.</summary>
    FileName,
}

namespace Pyrometer.Sampling.Python;

/// <summary>Encoding of a code object's line table, which also fixes the unit of the instruction index.</summary>
internal enum LineTableFormat
{
    /// <summary>3.8/3.9 <c>co_lnotab</c>: (byte increment, signed line increment) pairs; index in bytes.</summary>
    Lnotab,

    /// <summary>3.10 <c>co_linetable</c> (PEP 626): (byte length, signed line delta, -128 = none); index in code units.</summary>
    LineTable310,

    /// <summary>3.11+ location table (varint entries with codes 0–15); index in code units.</summary>
    Locations,
}

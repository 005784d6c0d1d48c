namespace Pyrometer.Sampling.Python;

/// <summary>Where a version keeps "who holds the GIL".</summary>
internal enum GilStyle
{
    /// <summary>No way to tell (free-threaded build without a GIL field).</summary>
    None,

    /// <summary>3.8–3.11: <c>_PyRuntime.ceval.gil</c> (locked, last_holder) embedded in the runtime.</summary>
    RuntimeGil,

    /// <summary>3.12: <c>interp->ceval.gil</c> points at the GIL in use; holder iff locked and last_holder == tstate.</summary>
    InterpreterGilPointer,

    /// <summary>3.13: bit <see cref="PythonLayout.HoldsGilBit"/> of the thread state's <c>_status</c> word.</summary>
    StatusBit,

    /// <summary>3.14+: the thread state's own <c>holds_gil</c> int.</summary>
    HoldsGilField,
}

namespace Pyrometer.Sampling.Python;

/// <summary>A frame as read, before its code object is resolved.</summary>
/// <param name="Code">Address of the code object.</param>
/// <param name="Instruction">3.8–3.10 <c>f_lasti</c>; 3.11+ the instruction pointer.</param>
/// <param name="TlbcIndex">3.14t thread-local bytecode copy (0 = the code object's own).</param>
/// <param name="Address">Where the frame was read (0 where not known): tells two activations of one code apart.</param>
internal readonly record struct RawFrame(ulong Code, long Instruction, int TlbcIndex, ulong Address = 0);

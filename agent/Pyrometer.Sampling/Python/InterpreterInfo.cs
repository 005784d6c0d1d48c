namespace Pyrometer.Sampling.Python;

/// <summary>One interpreter as last read: its address, the next one's, its thread list, GIL and code-object generation.</summary>
internal readonly record struct InterpreterInfo(ulong Address, ulong Next, ulong ThreadsHead, ulong Gil, ulong CodeGeneration);

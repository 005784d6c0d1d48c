namespace Pyrometer.Sampling.Python;

/// <summary>
/// The fields of a code object that identify it cheaply. A freed code object whose memory was reused
/// by another one differs here, so a cached resolution is re-checked against a fresh read of these.
/// </summary>
/// <param name="Flags"><c>co_flags</c>: whether the code is a coroutine (see <see cref="CodeInfo.IsAsync"/>).</param>
internal readonly record struct CodeFingerprint(
    ulong Type, ulong Filename, ulong Name, ulong Qualname, ulong LineTable, ulong Bytecode, long Size, int FirstLine, int Flags);

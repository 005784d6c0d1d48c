namespace Pyrometer.Sampling.Python;

/// <summary>A resolved code object: its names, file and line table, plus the frames made from it so far.</summary>
internal sealed class CodeInfo(CodeFingerprint fingerprint, string name, string qualifiedName, string file, LineTable lines, int instructionLimit)
{
    /// <summary>Distinct lines remembered per code object (a code object has at most a few thousand).</summary>
    private const int MaxFrames = 4096;

    // Object headers, the dictionary and the cache's entry; a PythonFrame plus its dictionary slot.
    private const long FixedBytes = 256;
    private const long FrameBytes = 64;

    // CO_COROUTINE, CO_ITERABLE_COROUTINE, CO_ASYNC_GENERATOR: the same bits since 3.6.
    private const int AsyncFlags = 0x80 | 0x100 | 0x200;

    private readonly Dictionary<int, PythonFrame> _frames = [];

    public CodeFingerprint Fingerprint { get; } = fingerprint;

    public string Name { get; } = name;

    public string QualifiedName { get; } = qualifiedName;

    public string File { get; } = file;

    public LineTable Lines { get; } = lines;

    /// <summary>An <c>async def</c> coroutine, a <c>types.coroutine</c> generator or an async generator.</summary>
    public bool IsAsync => (Fingerprint.Flags & AsyncFlags) != 0;

    /// <summary>Exclusive upper bound of a valid instruction index (bytecode length in the version's unit).</summary>
    public int InstructionLimit { get; } = instructionLimit;

    /// <summary>
    /// Approximate memory this entry can come to hold, for the cache's byte bound: names (2 bytes a char),
    /// the decoded line table, and one shared frame per distinct line it can yield (entries + first line + none).
    /// </summary>
    public long CacheBytes { get; } = FixedBytes + 2L * (name.Length + qualifiedName.Length + file.Length)
        + lines.MemoryBytes + FrameBytes * Math.Min(lines.Count + 2L, MaxFrames);

    /// <summary>The shared frame for a line; steady-state samples allocate nothing here.</summary>
    public PythonFrame FrameAt(int line)
    {
        if (_frames.TryGetValue(line, out var frame))
        {
            return frame;
        }
        frame = new PythonFrame(Name, QualifiedName, File, line) { IsAsync = IsAsync };
        if (_frames.Count < MaxFrames)
        {
            _frames[line] = frame;
        }
        return frame;
    }
}

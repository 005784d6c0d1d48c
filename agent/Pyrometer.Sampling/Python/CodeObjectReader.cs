using System.Buffers.Binary;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Step 4 of a sample (see <see cref="StackWalker"/>): code objects. Cached ones are re-checked by
/// their fingerprints, read with the frames in step 3 (skipped on 3.14+ while the interpreters'
/// code-object generation is unchanged); new ones are resolved together: code structs, then
/// string/bytes headers, then their data (three calls). Then raw frames become shared
/// <see cref="PythonFrame"/> instances.
/// </summary>
internal sealed class CodeObjectReader
{
    /// <summary>Code objects of the last sample whose fingerprints are re-read with the frames, ahead of need.</summary>
    private const int MaxPrefetchCodes = 4096;

    /// <summary>
    /// Code objects (new or re-checked) read in one sample, and new ones resolved in one sample. A target
    /// that shows more defers the rest to later samples (their threads are dropped and counted meanwhile):
    /// the agent's work and memory per sample stay bounded whatever the target presents.
    /// </summary>
    public const int MaxCodeReadsPerSample = 4096;

    public const int MaxNewCodesPerSample = 1024;

    /// <summary>Bytes of names and line tables read for new code objects in one sample (a line table alone is ≤1 MiB).</summary>
    public const int MaxNewCodeBytesPerSample = 2 << 20;

    /// <summary>
    /// Approximate memory the cache may hold: names, decoded line tables and the frames made from them.
    /// Real programs stay far below (≈2 KiB per code object); past it the cache starts over.
    /// </summary>
    public const long MaxCacheBytes = 64L << 20;

    // 3.14t thread-local bytecode copies looked up so far; keyed by (code, index), so bounded separately.
    private const int MaxTlbcBases = 16384;

    private readonly IProcessMemory _memory;
    private readonly PythonLayout _layout;
    private readonly ReadBatch _batch;
    private readonly ulong _codeType;
    private readonly ulong _unicodeType;
    private readonly ulong _bytesType;
    private readonly Dictionary<ulong, CodeInfo> _codes = [];
    private readonly Dictionary<ulong, ulong> _tlbcBases = [];
    private readonly HashSet<ulong> _seenCodes = [];
    private readonly HashSet<ulong> _badCodes = [];
    private readonly List<ulong> _codesToRead = [];
    private readonly Dictionary<ulong, int> _queuedCodes = [];
    private readonly HashSet<ulong> _lastCodes = [];
    private readonly List<PendingCode> _pending = [];
    private readonly HashSet<ulong> _deferred = [];
    private long _cacheBytes;
    private int _queuedBatch = -1;
    private ulong _generation = ulong.MaxValue;
    private bool _generationFresh;

    public CodeObjectReader(IProcessMemory memory, PythonLayout layout, InterpreterLocation location, ReadBatch batch, WalkerCounters counters)
    {
        _memory = memory;
        _layout = layout;
        _batch = batch;
        Counters = counters;
        _codeType = location.Symbol("PyCode_Type") ?? 0;
        _unicodeType = location.Symbol("PyUnicode_Type") ?? 0;
        _bytesType = location.Symbol("PyBytes_Type") ?? 0;
    }

    private WalkerCounters Counters { get; }

    /// <summary>Code objects cached now (≤ <see cref="StackWalker.MaxCachedCodes"/>).</summary>
    public int CachedCodes => _codes.Count;

    /// <summary>Approximate bytes the cache holds now (≤ <see cref="MaxCacheBytes"/>).</summary>
    public long CachedBytes => _cacheBytes;

    /// <summary>Moves whenever a cached code object is dropped or replaced: frames resolved before are then suspect.</summary>
    public long CacheEpoch { get; private set; }

    /// <summary>Flushes the cache when any interpreter's code-object generation moved (3.14+).</summary>
    public void ObserveGeneration(IReadOnlyList<InterpreterInfo> interpreters)
    {
        _generationFresh = false;
        if (_layout.InterpreterCodeGeneration < 0)
        {
            return;
        }
        // Code objects of every interpreter share one cache, so any interpreter's counter moving
        // flushes it; folding the counters into one number (a prime multiplier keeps them apart) is enough.
        var generation = 0UL;
        foreach (var interpreter in interpreters)
        {
            generation = generation * 1_000_003 + interpreter.CodeGeneration;
        }
        if (generation != _generation)
        {
            Counters.CodeCacheInvalidations += _codes.Count;
            ClearCache();
            _generation = generation;
        }
        _generationFresh = true;
    }

    /// <summary>Queues the fingerprints of the last sample's code objects on the batch being built.</summary>
    public void QueuePrefetch()
    {
        _queuedCodes.Clear();
        _queuedBatch = _batch.Generation;
        if (_layout.InterpreterCodeGeneration >= 0)
        {
            return;                                  // the generation counter vouches for the cache
        }
        foreach (var code in _lastCodes)
        {
            _queuedCodes[code] = _batch.Add(code, _layout.CodeReadLength);
        }
    }

    /// <summary>Resolves the code objects of the first <paramref name="count"/> threads' frames.</summary>
    public SampleError Resolve(IReadOnlyList<ThreadWork> threads, int count)
    {
        _seenCodes.Clear();
        _badCodes.Clear();
        _codesToRead.Clear();
        _pending.Clear();
        _deferred.Clear();
        if (_queuedBatch != _batch.Generation)
        {
            _queuedCodes.Clear();                    // queued on a batch that was started over since
        }
        for (var i = 0; i < count; i++)
        {
            var work = threads[i];
            if (work.Dropped)
            {
                continue;
            }
            foreach (var frame in work.Frames)
            {
                if (!_seenCodes.Add(frame.Code) || (_generationFresh && _codes.ContainsKey(frame.Code)))
                {
                    continue;
                }
                if (_queuedCodes.TryGetValue(frame.Code, out var queued) && _batch.TryGet(queued, out var prefetched))
                {
                    CheckCode(frame.Code, prefetched);   // read with the frames in step 3
                }
                else if (_codesToRead.Count < MaxCodeReadsPerSample)
                {
                    _codesToRead.Add(frame.Code);
                }
                else
                {
                    Defer(frame.Code);
                }
            }
        }
        if (_codesToRead.Count > 0)
        {
            _batch.Clear();
            foreach (var code in _codesToRead)
            {
                _batch.Add(code, _layout.CodeReadLength);
            }
            var status = _batch.Execute(_memory);
            if (status != ReadStatus.Ok)
            {
                return status.ToSampleError();
            }
            for (var i = 0; i < _codesToRead.Count; i++)
            {
                CheckCode(_codesToRead[i], _batch.TryGet(i, out var data) ? data : default);
            }
        }
        var error = _pending.Count == 0 ? SampleError.None : ResolvePending();
        if (error == SampleError.None)
        {
            RememberCodes();
        }
        return error;
    }

    // A code object read now: still the cached one, replaced (freed and reused), new, or not a code object.
    private void CheckCode(ulong code, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || !TryFingerprint(data, out var fingerprint))
        {
            _badCodes.Add(code);
            return;
        }
        if (_codes.TryGetValue(code, out var cached))
        {
            if (cached.Fingerprint == fingerprint)
            {
                return;
            }
            _codes.Remove(code);                     // freed and reused for another code object
            CacheEpoch++;
            _cacheBytes -= cached.CacheBytes;
            Counters.CodeCacheInvalidations++;
        }
        if (_pending.Count >= MaxNewCodesPerSample)
        {
            Defer(code);
            return;
        }
        _pending.Add(new PendingCode(code, fingerprint));
    }

    // Not resolved this sample for lack of budget: its frames are dropped and counted, and it is read next time.
    private void Defer(ulong code)
    {
        _deferred.Add(code);
        Counters.DeferredCodes++;
    }

    private void ClearCache()
    {
        CacheEpoch++;
        _codes.Clear();
        _tlbcBases.Clear();
        _cacheBytes = 0;
    }

    // This sample's good code objects are the ones the next sample's step 3 re-reads ahead of need.
    private void RememberCodes()
    {
        _lastCodes.Clear();
        foreach (var code in _seenCodes)
        {
            if (_lastCodes.Count >= MaxPrefetchCodes)
            {
                break;
            }
            if (!_badCodes.Contains(code))
            {
                _lastCodes.Add(code);
            }
        }
    }

    private bool TryFingerprint(ReadOnlySpan<byte> code, out CodeFingerprint fingerprint)
    {
        var l = _layout;
        fingerprint = new CodeFingerprint(
            U64(code, l.ObjectType), U64(code, l.CodeFilename), U64(code, l.CodeName),
            l.CodeQualname >= 0 ? U64(code, l.CodeQualname) : 0, U64(code, l.CodeLineTable),
            l.CodeBytecode >= 0 ? U64(code, l.CodeBytecode) : 0,
            (long)U64(code, l.VarObjectSize), I32(code, l.CodeFirstLineNo), I32(code, l.CodeFlags));
        var typeOk = _codeType == 0 ? fingerprint.Type != 0 : fingerprint.Type == _codeType;
        var sizeOk = l.CodeAdaptive < 0 || fingerprint.Size is > 0 and < 1 << 24;
        return typeOk && sizeOk && fingerprint.Filename != 0 && fingerprint.Name != 0 && fingerprint.LineTable != 0
            && (l.CodeQualname < 0 || fingerprint.Qualname != 0) && (l.CodeBytecode < 0 || fingerprint.Bytecode != 0)
            && fingerprint.FirstLine >= 0;
    }

    private SampleError ResolvePending()
    {
        Counters.CodeCacheMisses += _pending.Count;
        var l = _layout;
        _batch.Clear();
        foreach (var p in _pending)
        {
            p.FileHeader = _batch.Add(p.Fingerprint.Filename, l.UnicodeHeaderLength);
            p.NameHeader = _batch.Add(p.Fingerprint.Name, l.UnicodeHeaderLength);
            p.QualnameHeader = l.CodeQualname >= 0 ? _batch.Add(p.Fingerprint.Qualname, l.UnicodeHeaderLength) : -1;
            p.LinesHeader = _batch.Add(p.Fingerprint.LineTable, l.BytesData);
            p.BytecodeHeader = l.CodeBytecode >= 0 ? _batch.Add(p.Fingerprint.Bytecode, l.BytesData) : -1;
        }
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        foreach (var p in _pending)
        {
            p.Ok = ParseString(p.FileHeader, out p.File) && ParseString(p.NameHeader, out p.Name)
                && (p.QualnameHeader < 0 || ParseString(p.QualnameHeader, out p.Qualname))
                && ParseBytes(p.LinesHeader, out p.Lines) && (p.BytecodeHeader < 0 || ParseBytes(p.BytecodeHeader, out p.Bytecode));
        }

        _batch.Clear();
        var budget = (long)MaxNewCodeBytesPerSample;
        foreach (var p in _pending)
        {
            if (!p.Ok)
            {
                continue;
            }
            // Lengths are capped one by one (≤16 KiB per name, ≤1 MiB per line table); their sum is capped here.
            var bytes = (long)p.File.Length + p.Name.Length + p.Qualname.Length + p.Lines.Length;
            if (bytes > budget || !_batch.Fits(bytes))
            {
                p.Ok = false;
                Defer(p.Address);
                continue;
            }
            budget -= bytes;
            p.File.Index = _batch.Add(p.Fingerprint.Filename + (ulong)p.File.Offset, p.File.Length);
            p.Name.Index = _batch.Add(p.Fingerprint.Name + (ulong)p.Name.Offset, p.Name.Length);
            p.Qualname.Index = p.QualnameHeader >= 0 ? _batch.Add(p.Fingerprint.Qualname + (ulong)p.Qualname.Offset, p.Qualname.Length) : -1;
            p.Lines.Index = _batch.Add(p.Fingerprint.LineTable + (ulong)l.BytesData, p.Lines.Length);
        }
        status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        foreach (var p in _pending)
        {
            if (_deferred.Contains(p.Address))
            {
                continue;
            }
            var info = p.Ok ? Build(p) : null;
            if (info is null)
            {
                _badCodes.Add(p.Address);
                continue;
            }
            if (_codes.Count >= StackWalker.MaxCachedCodes || _cacheBytes + info.CacheBytes > MaxCacheBytes)
            {
                ClearCache();                        // bounded memory: start over rather than grow
                Counters.CodeCacheEvictions++;
            }
            _codes[p.Address] = info;
            _cacheBytes += info.CacheBytes;
        }
        return SampleError.None;
    }

    private bool ParseString(int header, out PendingCode.Piece piece)
    {
        piece = default;
        if (!_batch.TryGet(header, out var data) || (_unicodeType != 0 && U64(data, _layout.ObjectType) != _unicodeType))
        {
            return false;
        }
        if (!PythonStrings.TryParseHeader(data, _layout, out var offset, out var length, out var kind))
        {
            return false;
        }
        piece = new PendingCode.Piece { Offset = offset, Length = length, Kind = kind };
        return true;
    }

    private bool ParseBytes(int header, out PendingCode.Piece piece)
    {
        piece = default;
        if (!_batch.TryGet(header, out var data) || (_bytesType != 0 && U64(data, _layout.ObjectType) != _bytesType))
        {
            return false;
        }
        if (!PythonStrings.TryParseBytesHeader(data, _layout, out var length))
        {
            return false;
        }
        piece = new PendingCode.Piece { Offset = _layout.BytesData, Length = length };
        return true;
    }

    private CodeInfo? Build(PendingCode p)
    {
        if (!Decode(p.File, out var file) || !Decode(p.Name, out var name))
        {
            return null;
        }
        var qualname = name;
        if (p.QualnameHeader >= 0 && !Decode(p.Qualname, out qualname))
        {
            return null;
        }
        if (!_batch.TryGet(p.Lines.Index, out var table))
        {
            return null;
        }
        var lines = LineTable.Decode(_layout.LineTable, table, p.Fingerprint.FirstLine);
        if (lines is null)
        {
            return null;
        }
        var limit = _layout.LineTable switch
        {
            LineTableFormat.Locations => (int)p.Fingerprint.Size,
            LineTableFormat.LineTable310 => p.Bytecode.Length / 2,
            _ => p.Bytecode.Length,
        };
        return new CodeInfo(p.Fingerprint, name, qualname, file, lines, limit);
    }

    private bool Decode(PendingCode.Piece piece, out string text)
    {
        text = "";
        return _batch.TryGet(piece.Index, out var data) && PythonStrings.TryDecode(data, piece.Kind, out text);
    }

    /// <summary>The shared frame for a raw frame, or false (counted) when its code or instruction does not add up.</summary>
    public bool TryResolve(RawFrame raw, out PythonFrame frame)
    {
        frame = null!;
        if (_badCodes.Contains(raw.Code) || !_codes.TryGetValue(raw.Code, out var code))
        {
            if (_deferred.Contains(raw.Code))
            {
                Counters.DeferredFrames++;           // resolved by a later sample
            }
            else
            {
                Counters.InvalidCodes++;
            }
            return false;
        }
        if (!TryInstructionIndex(raw, out var index) || index < -1 || index >= code.InstructionLimit)
        {
            Counters.InvalidInstructions++;
            return false;
        }
        frame = code.FrameAt(code.Lines.LineAt(index));
        return true;
    }

    private bool TryInstructionIndex(RawFrame raw, out int index)
    {
        index = 0;
        if (_layout.Frames == FrameStyle.FrameObject)
        {
            index = (int)raw.Instruction;            // f_lasti: bytes (3.8/3.9) or code units (3.10); -1 = not started
            return true;
        }
        var start = raw.Code + (ulong)_layout.CodeAdaptive;
        if (raw.TlbcIndex > 0 && !TryTlbcBase(raw.Code, raw.TlbcIndex, out start))
        {
            return false;
        }
        var delta = raw.Instruction - (long)start;
        if ((delta & 1) != 0 || delta < -2 || delta > int.MaxValue)
        {
            return false;
        }
        index = (int)(delta / 2);                    // prev_instr one unit before the start = -1 (not started)
        return true;
    }

    // 3.14t: a thread may run its own copy of the bytecode; co_tlbc's entries start 8 bytes in.
    private bool TryTlbcBase(ulong code, int tlbcIndex, out ulong start)
    {
        start = 0;
        if (_layout.CodeTlbc < 0 || tlbcIndex > 4096)
        {
            return false;
        }
        var key = code * 4099 + (ulong)tlbcIndex;   // 4099 > the largest accepted index, so keys of one code never collide
        if (_tlbcBases.TryGetValue(key, out start))
        {
            return true;
        }
        if (!_memory.TryReadUInt64(code + (ulong)_layout.CodeTlbc, out var array) || array == 0
            || !_memory.TryReadInt64(array, out var size) || tlbcIndex >= size
            || !_memory.TryReadUInt64(array + 8 + 8 * (ulong)tlbcIndex, out start) || start == 0)
        {
            return false;
        }
        if (_tlbcBases.Count >= MaxTlbcBases)
        {
            _tlbcBases.Clear();
        }
        _tlbcBases[key] = start;
        return true;
    }

    private static ulong U64(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, 8));

    private static int I32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadInt32LittleEndian(data.Slice(offset, 4));
}

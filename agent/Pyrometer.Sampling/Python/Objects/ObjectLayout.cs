using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python.Objects;

/// <summary>How a dict's keys table is laid out.</summary>
internal enum DictKeysStyle
{
    /// <summary>3.8–3.10: <c>dk_size</c> at 8, <c>dk_nentries</c> at 32, indices at 40, entries of (hash, key, value).</summary>
    Sized,

    /// <summary>3.11+: <c>dk_log2_size</c>/<c>dk_log2_index_bytes</c>/<c>dk_kind</c> at 8–10, <c>dk_nentries</c> at 24, indices at 32; str-keyed entries are (key, value).</summary>
    Logarithmic,
}

/// <summary>Where an instance of a Python class keeps its attributes.</summary>
internal enum InstanceDictStyle
{
    /// <summary>≤3.10: a dict pointer at <c>tp_dictoffset</c>.</summary>
    DictOffset,

    /// <summary>3.11: with <c>Py_TPFLAGS_MANAGED_DICT</c>, dict at -24 and values at -32 from the object.</summary>
    ManagedPair,

    /// <summary>3.12: with <c>Py_TPFLAGS_MANAGED_DICT</c>, one word at -24: the values address minus one when its low bit is set, else the dict.</summary>
    ManagedTagged,

    /// <summary>3.13+: with <c>Py_TPFLAGS_INLINE_VALUES</c>, values after <c>tp_basicsize</c> (while valid), else the dict at -24.</summary>
    InlineValues,
}

/// <summary>
/// Offsets of the object structures the generic readers use (dict, str, int, float, tuple, type,
/// module, frame locals), per CPython minor, x86-64 GIL builds. From each version's headers
/// (pyenv 3.8.18–3.13.0, Debian sid 3.14.10/3.15.2) compiled with <c>offsetof</c>; for 3.13+ the
/// fields that move with the interpreter state come from the target's own <c>_Py_DebugOffsets</c>.
/// </summary>
internal sealed record ObjectLayout
{
    public required PythonLayout Python { get; init; }

    /// <summary><c>sizeof(PyObject)</c>: where a module's <c>md_dict</c> and a float's value start.</summary>
    public int HeaderSize => Python.ObjectType + 8;

    public int TypeName { get; init; } = 24;
    public int TypeBasicSize { get; init; } = 32;
    public int TypeFlags { get; init; } = 168;
    public int TypeDictOffset { get; init; } = 288;
    public required int HeapTypeCachedKeys { get; init; }

    public int DictKeys { get; init; } = 32;
    public int DictValues { get; init; } = 40;
    public required DictKeysStyle Keys { get; init; }

    /// <summary>Where a <c>PyDictValues</c>' pointers start (3.13+ put four bytes of bookkeeping first).</summary>
    public int ValuesStart { get; init; }

    public required InstanceDictStyle Instances { get; init; }

    public int LongDigits { get; init; } = 24;

    /// <summary>3.12+: <c>lv_tag</c> (digit count &lt;&lt; 3 | sign) replaces a signed <c>ob_size</c>.</summary>
    public required bool LongTagged { get; init; }

    public int TupleItems { get; init; } = 24;
    public int ListItems { get; init; } = 24;

    /// <summary>Offset of <c>sys.modules</c> in the interpreter state.</summary>
    public required int InterpreterModules { get; init; }

    /// <summary>Where a frame's locals start: <c>f_localsplus</c> (≤3.10) or <c>localsplus</c> (3.11+).</summary>
    public required int FrameLocals { get; init; }

    /// <summary>≤3.10: <c>co_varnames</c>, <c>co_cellvars</c>, <c>co_freevars</c>; 3.11+: <c>co_localsplusnames</c>, <c>co_localspluskinds</c>.</summary>
    public required int CodeLocalNames { get; init; }

    public int CodeLocalKinds { get; init; } = PythonLayout.Absent;
    public int CodeCellNames { get; init; } = PythonLayout.Absent;
    public int CodeFreeNames { get; init; } = PythonLayout.Absent;

    /// <summary>Positions in <c>_Py_DebugOffsets</c> of imports_modules, localsplus, localsplusnames, localspluskinds.</summary>
    private static readonly Dictionary<int, (int Modules, int Locals, int Names, int Kinds)> DebugPositions = new()
    {
        [13] = (88, 256, 328, 336),
        [14] = (96, 280, 368, 376),
        [15] = (96, 344, 432, 440),
    };

    /// <summary>
    /// The layout for a GIL build of 3.8–3.15, or null (free-threaded builds and other versions:
    /// their objects are not read, so callers fall back to what needs no object reading).
    /// </summary>
    public static ObjectLayout? For(PythonLayout layout, IProcessMemory memory, ulong runtimeAddress)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(memory);
        var version = layout.Version;
        if (version.Major != 3 || version.FreeThreaded || layout.ObjectType != 8)
        {
            return null;
        }
        switch (version.Minor)
        {
            case 8 or 9 or 10:
                return new ObjectLayout
                {
                    Python = layout,
                    HeapTypeCachedKeys = version.Minor == 9 ? 864 : 872,
                    Keys = DictKeysStyle.Sized,
                    Instances = InstanceDictStyle.DictOffset,
                    LongTagged = false,
                    InterpreterModules = version.Minor == 8 ? 56 : 856,
                    FrameLocals = version.Minor == 10 ? 352 : 360,
                    CodeLocalNames = 72,
                    CodeFreeNames = 80,
                    CodeCellNames = 88,
                };
            case 11 or 12:
                return new ObjectLayout
                {
                    Python = layout,
                    HeapTypeCachedKeys = version.Minor == 11 ? 872 : 880,
                    Keys = DictKeysStyle.Logarithmic,
                    Instances = version.Minor == 11 ? InstanceDictStyle.ManagedPair : InstanceDictStyle.ManagedTagged,
                    LongTagged = version.Minor == 12,
                    InterpreterModules = version.Minor == 11 ? 888 : 944,
                    FrameLocals = 72,
                    CodeLocalNames = 96,
                    CodeLocalKinds = 104,
                };
            case 13 or 14 or 15:
                var (modules, locals, names, kinds) = DebugPositions[version.Minor];
                if (!Position(memory, runtimeAddress, modules, out var interpreterModules)
                    || !Position(memory, runtimeAddress, locals, out var frameLocals)
                    || !Position(memory, runtimeAddress, names, out var localNames)
                    || !Position(memory, runtimeAddress, kinds, out var localKinds))
                {
                    return null;
                }
                return new ObjectLayout
                {
                    Python = layout,
                    HeapTypeCachedKeys = version.Minor == 15 ? 888 : 880,
                    Keys = DictKeysStyle.Logarithmic,
                    ValuesStart = 8,
                    Instances = InstanceDictStyle.InlineValues,
                    LongTagged = true,
                    TupleItems = version.Minor >= 14 ? 32 : 24,
                    InterpreterModules = interpreterModules,
                    FrameLocals = frameLocals,
                    CodeLocalNames = localNames,
                    CodeLocalKinds = localKinds,
                };
            default:
                return null;
        }
    }

    // One _Py_DebugOffsets entry, bounded to what the structures it describes can hold.
    private static bool Position(IProcessMemory memory, ulong runtimeAddress, int position, out int value)
    {
        value = 0;
        if (!memory.TryReadUInt64(runtimeAddress + (ulong)position, out var raw) || raw is 0 or > 1 << 16)
        {
            return false;
        }
        value = (int)raw;
        return true;
    }
}

using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python.Objects;

namespace Pyrometer.Sampling.Python.Introspection;

/// <summary>
/// Reads Python thread names as <c>threading</c> knows them: <c>sys.modules["threading"]._active</c>
/// maps each thread's ident (the thread state's <c>thread_id</c>) to its Thread object, whose
/// <c>_name</c> attribute is the name given to <c>threading.Thread(name=...)</c> ("MainThread" for
/// the main thread). Every interpreter is read; a process that has not imported threading has no names.
/// </summary>
internal sealed class ThreadNameReader(ObjectReader objects, ulong runtimeAddress)
{
    /// <summary>Longest name kept, in characters; longer names are cut and end with "…".</summary>
    public const int MaxNameChars = 256;

    /// <summary>Most threads (and interpreters) read.</summary>
    public const int MaxThreads = 4096;

    private const int MaxInterpreters = 64;

    private readonly Dictionary<ulong, ulong> _activeByInterpreter = [];
    private readonly List<DictEntry> _entries = [];

    /// <summary>Adds every thread name found (ident → name); false when none could be read at all.</summary>
    public bool TryRead(Dictionary<ulong, string> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var layout = objects.Layout;
        if (!objects.TryReadPointer(runtimeAddress + (ulong)layout.Python.RuntimeInterpretersHead, out var interpreter))
        {
            return false;
        }
        var any = false;
        var seen = new HashSet<ulong>();
        for (var i = 0; i < MaxInterpreters && interpreter != 0 && seen.Add(interpreter); i++)
        {
            if (Active(interpreter) is { } active)
            {
                any |= ReadActive(active, into);
            }
            if (!objects.TryReadPointer(interpreter + (ulong)layout.Python.InterpreterNext, out interpreter))
            {
                break;
            }
        }
        return any;
    }

    // The interpreter's threading._active dict, remembered while it still is a dict (it is never replaced).
    private ulong? Active(ulong interpreter)
    {
        if (_activeByInterpreter.TryGetValue(interpreter, out var known) && objects.TypeName(known) == "dict")
        {
            return known;
        }
        _activeByInterpreter.Remove(interpreter);
        if (!objects.TryReadPointer(interpreter + (ulong)objects.Layout.InterpreterModules, out var modules)
            || !objects.TryGetDictItem(modules, "threading", out var threading)
            || !objects.TryReadPointer(threading + (ulong)objects.Layout.HeaderSize, out var globals)   // md_dict
            || !objects.TryGetDictItem(globals, "_active", out var active)
            || objects.TypeName(active) != "dict")
        {
            return null;
        }
        if (_activeByInterpreter.Count >= MaxInterpreters)
        {
            _activeByInterpreter.Clear();
        }
        _activeByInterpreter[interpreter] = active;
        return active;
    }

    private bool ReadActive(ulong active, Dictionary<ulong, string> into)
    {
        _entries.Clear();
        if (!objects.TryReadDictEntries(active, MaxThreads, _entries))
        {
            return false;
        }
        foreach (var (key, thread) in _entries)
        {
            if (into.Count >= MaxThreads)
            {
                break;
            }
            if (objects.TryReadInt(key, out var ident)
                && objects.TryGetAttribute(thread, "_name", out var nameObject)
                && objects.TryReadString(nameObject, MaxNameChars, out var name, out var length))
            {
                into[unchecked((ulong)ident)] = ValueFormatter.Printable(name) + (length > MaxNameChars ? "…" : "");
            }
        }
        return true;
    }
}

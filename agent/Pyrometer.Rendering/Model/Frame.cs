using System.Globalization;

namespace Pyrometer.Rendering.Model;

/// <summary>
/// One stack frame as rendered. Python frames carry function, file and line; the process and thread
/// pseudo-frames carry a name (command line or thread name) and a number (pid or native thread id).
/// </summary>
public sealed record Frame
{
    private Frame(FrameKind kind, string name, string file, long number, int functionLine = 0)
    {
        Kind = kind;
        Name = name;
        File = file;
        Number = number;
        FunctionLine = functionLine;
        Text = Format(kind, name, file, number);
    }

    /// <summary>Python code, or a process or thread pseudo-frame.</summary>
    public FrameKind Kind { get; }

    /// <summary>The function name, the process command line or the thread name.</summary>
    public string Name { get; }

    /// <summary>The source file of a Python frame; empty for pseudo-frames or unknown files.</summary>
    public string File { get; }

    /// <summary>The line of a Python frame (0 when unknown), the pid or the thread id.</summary>
    public long Number { get; }

    /// <summary>
    /// Where a Python function starts (its code object's first line), 0 when unknown. Extra detail for pprof's
    /// Function.start_line: not part of <see cref="Text"/> or of equality, so a frame read back from folded text
    /// (which cannot carry it) still equals the frame it was written from.
    /// </summary>
    public int FunctionLine { get; }

    /// <summary>The frame as one folded-stack element, e.g. <c>compute (app.py:57)</c>.</summary>
    public string Text { get; }

    /// <summary>The line number of a Python frame (0: unknown); 0 for pseudo-frames.</summary>
    public int Line => Kind == FrameKind.Python ? (int)Number : 0;

    /// <summary>Whether this is a process or thread pseudo-frame.</summary>
    public bool IsPseudo => Kind != FrameKind.Python;

    /// <summary>A Python frame: <paramref name="function"/> in <paramref name="file"/> at <paramref name="line"/> (0: unknown).</summary>
    public static Frame Python(string function, string file, int line, int functionLine = 0)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(file);
        if (function.Length == 0)
        {
            throw new ArgumentException("A Python frame needs a function name.", nameof(function));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        ArgumentOutOfRangeException.ThrowIfNegative(functionLine);
        return new Frame(FrameKind.Python, Clean(function), Clean(file), line, functionLine);
    }

    /// <summary>The pseudo-frame of a process, at the root of its stacks.</summary>
    public static Frame Process(int pid, string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        return new Frame(FrameKind.Process, Clean(command), "", pid);
    }

    /// <summary>A number standing for every pid or thread id: frames of other runs match by command line or name.</summary>
    internal const long AnyId = -1;

    /// <summary>Every process with this command line, whatever its pid (<c>pid * command</c>).</summary>
    internal static Frame AnyProcess(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new Frame(FrameKind.Process, Clean(command), "", AnyId);
    }

    /// <summary>Every thread with this name, whatever its id (<c>thread * name</c>).</summary>
    internal static Frame AnyThread(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new Frame(FrameKind.Thread, Clean(name), "", AnyId);
    }

    /// <summary>The pseudo-frame of a thread, at the root or below its process.</summary>
    public static Frame Thread(long threadId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(threadId);
        return new Frame(FrameKind.Thread, Clean(name), "", threadId);
    }

    /// <inheritdoc/>
    public bool Equals(Frame? other) =>
        other is not null && Kind == other.Kind && Number == other.Number
        && string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(File, other.File, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Kind, Number, StringComparer.Ordinal.GetHashCode(Name), StringComparer.Ordinal.GetHashCode(File));

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static string Format(FrameKind kind, string name, string file, long number) => kind switch
    {
        FrameKind.Process => Prefixed("pid", number, name),
        FrameKind.Thread => Prefixed("thread", number, name),
        _ when file.Length == 0 => name,
        _ when number == 0 => string.Create(CultureInfo.InvariantCulture, $"{name} ({file})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{name} ({file}:{number})"),
    };

    private static string Prefixed(string prefix, long number, string name)
    {
        var id = number == AnyId ? "*" : number.ToString(CultureInfo.InvariantCulture);
        return name.Length == 0 ? $"{prefix} {id}" : $"{prefix} {id} {name}";
    }

    // The folded line `a;b;c 42` is the seam between sampler and renderers: a ';' or a line break
    // inside a name would split a frame or a line, so they are replaced where the frame is made.
    private static string Clean(string text) =>
        text.AsSpan().IndexOfAny(";\r\n") < 0 ? text : text.Replace(';', ',').Replace('\r', ' ').Replace('\n', ' ');
}

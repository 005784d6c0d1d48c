namespace Pyrometer.Rendering.Model;

/// <summary>What a frame stands for: Python code, or a pseudo-frame that groups stacks.</summary>
public enum FrameKind
{
    /// <summary>A Python function at a line: <c>function (file:line)</c>.</summary>
    Python = 0,

    /// <summary>The process a stack came from: <c>pid 123 gunicorn: worker [app]</c>; only at the root.</summary>
    Process = 1,

    /// <summary>The thread a stack came from: <c>thread 140 MainThread</c>; at the root or just below the process.</summary>
    Thread = 2,
}

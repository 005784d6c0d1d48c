namespace Pyrometer.Sampling.Python;

/// <summary>One Python frame as shown to people. Instances are cached and shared between samples.</summary>
/// <param name="Name">The code object's <c>co_name</c>.</param>
/// <param name="QualifiedName"><c>co_qualname</c> where the version has one (3.11+), else <see cref="Name"/>.</param>
/// <param name="File"><c>co_filename</c> as compiled.</param>
/// <param name="Line">Current line, or 0 when unknown.</param>
internal sealed record PythonFrame(string Name, string QualifiedName, string File, int Line)
{
    /// <summary>The code is a coroutine or an async generator (from <c>co_flags</c>; false where not known).</summary>
    public bool IsAsync { get; init; }
}

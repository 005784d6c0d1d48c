namespace Pyrometer.Sampling.Python.Introspection;

/// <summary>One frame's locals, innermost frame first as in a <see cref="ThreadStack"/>.</summary>
/// <param name="Function">The frame's <c>co_name</c>, to match it with the stack it was read beside.</param>
/// <param name="Variables">Its bound locals in declaration order; null when they could not be read.</param>
internal sealed record FrameLocals(string Function, IReadOnlyList<LocalVariable>? Variables);

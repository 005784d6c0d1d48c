namespace Pyrometer.Rendering.Folded;

/// <summary>One line of a folded profile: <c>frame;frame;frame COUNT</c>.</summary>
/// <param name="Number">The line's number in its input, from 1 (blank lines count).</param>
/// <param name="Stack">The frames, root first, joined by <c>;</c>, exactly as written.</param>
/// <param name="Count">The samples of that stack, at least 1.</param>
public readonly record struct FoldedLine(int Number, string Stack, long Count);

namespace Pyrometer.Rendering.Model;

/// <summary>
/// One function's share of a profile. Self counts samples where it was the innermost Python frame;
/// total counts samples where it was anywhere on the stack (once per sample, even when recursive).
/// <see cref="Line"/> is the line with the most self samples (the first line seen when it has none).
/// </summary>
public sealed record FunctionShare(string Function, string File, int Line, long SelfSamples, long TotalSamples, double SelfPercent, double TotalPercent);

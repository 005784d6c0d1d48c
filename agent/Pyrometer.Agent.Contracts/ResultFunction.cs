namespace Pyrometer.Agent.Contracts;

/// <summary>A hot function: where it is and its share of all samples as the innermost frame.</summary>
public sealed record ResultFunction(string Function, string File, int Line, double SelfPercent);

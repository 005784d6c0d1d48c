namespace Pyrometer.Sampling.Python.Introspection;

/// <summary>One local variable of a frame: its name and its value as <see cref="ValueFormatter"/> shows it.</summary>
internal sealed record LocalVariable(string Name, string Value);

namespace Pyrometer.Sampling.Tests.Fakes;

/// <summary>A frame to lay out: code object (0 for a shim), instruction index in code units (-1 = not started), frame owner.</summary>
internal sealed record FakeFrame(ulong Code, int Index, int Owner = 0, bool Generator = false);

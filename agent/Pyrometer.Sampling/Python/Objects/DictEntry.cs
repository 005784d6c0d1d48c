namespace Pyrometer.Sampling.Python.Objects;

/// <summary>One live item of a dict as read from the target: the key's and the value's addresses.</summary>
internal readonly record struct DictEntry(ulong Key, ulong Value);

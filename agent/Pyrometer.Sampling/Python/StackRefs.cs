namespace Pyrometer.Sampling.Python;

/// <summary>3.14+ <c>_PyStackRef</c> decoding (the rule is safe for GIL and free-threaded tags alike).</summary>
internal static class StackRefs
{
    /// <summary>
    /// The object a tagged reference points to, or 0 for NULL or a tagged int. Objects are at least
    /// 8-byte aligned, so the low two bits are tags: 0b11 marks a tagged int and values ≤ 3 encode NULL
    /// (GIL builds use bits == 1, <c>Py_TAG_REFCNT</c>).
    /// </summary>
    public static ulong ToObject(ulong bits) => (bits & 3) == 3 || bits <= 3 ? 0 : bits & ~3UL;
}

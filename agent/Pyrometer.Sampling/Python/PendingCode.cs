namespace Pyrometer.Sampling.Python;

/// <summary>A code object being resolved by <see cref="CodeObjectReader"/>: where its names and line table are read.</summary>
internal sealed class PendingCode(ulong address, CodeFingerprint fingerprint)
{
    public ulong Address { get; } = address;

    public CodeFingerprint Fingerprint { get; } = fingerprint;

    public bool Ok { get; set; }

    public int FileHeader { get; set; }

    public int NameHeader { get; set; }

    public int QualnameHeader { get; set; }

    public int LinesHeader { get; set; }

    public int BytecodeHeader { get; set; }

    public Piece File;
    public Piece Name;
    public Piece Qualname;
    public Piece Lines;
    public Piece Bytecode;

    /// <summary>Where a string's or bytes' data starts and how long it is, and its read in the batch.</summary>
    internal struct Piece
    {
        public int Offset;
        public int Length;
        public int Kind;
        public int Index;
    }
}

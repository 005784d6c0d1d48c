namespace Pyrometer.Sampling.Python;

/// <summary>
/// One thread as the last sample left it, and where this sample's first call copied its cframe, chunk
/// and TID ahead of need (-1: not queued). The copies are used only if the thread state agrees.
/// </summary>
internal struct AheadThread
{
    public ulong Address;
    public ulong CFrame;
    public ulong Chunk;
    public int ChunkLength;
    public ulong ThreadId;
    public int CFrameRead;
    public int ChunkRead;
    public int TidRead;
}

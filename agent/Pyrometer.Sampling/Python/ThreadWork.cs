namespace Pyrometer.Sampling.Python;

/// <summary>Per-thread scratch of one sample; instances are pooled by the walker.</summary>
internal sealed class ThreadWork
{
    public List<RawFrame> Frames { get; } = [];

    public ulong Address { get; set; }

    public ulong Interpreter { get; set; }

    public ulong ThreadId { get; set; }

    public int NativeThreadId { get; set; }

    public bool HoldsGil { get; set; }

    /// <summary>Newest frame (3.11/3.12: the cframe until it is read).</summary>
    public ulong Frame { get; set; }

    /// <summary>3.11/3.12: the cframe address read from the thread state (<see cref="Frame"/> becomes the frame it points at).</summary>
    public ulong CFrame { get; set; }

    /// <summary>The thread state was copied by the batch, in the same call as anything queued ahead.</summary>
    public bool StateInBatch { get; set; }

    public ulong Chunk { get; set; }

    public ulong ChunkTop { get; set; }

    public int ChunkRead { get; set; } = -1;

    public int CFrameRead { get; set; } = -1;

    public int TidRead { get; set; } = -1;

    /// <summary>3.13+: current_frame re-read in the same call as the chunk, so both are from one instant.</summary>
    public int FrameRead { get; set; } = -1;

    /// <summary>datastack_chunk and datastack_top re-read in the same call as the chunk.</summary>
    public int TopRead { get; set; } = -1;

    /// <summary>The frame the chain ended at (its <c>previous</c> is NULL), or 0 when the walk stopped short of it.</summary>
    public ulong BaseFrame { get; set; }

    public bool Dropped { get; set; }

    public bool Truncated { get; set; }

    public void Reset(ulong address, ulong interpreter)
    {
        Frames.Clear();
        Address = address;
        Interpreter = interpreter;
        ThreadId = 0;
        NativeThreadId = 0;
        HoldsGil = false;
        Frame = 0;
        CFrame = 0;
        StateInBatch = false;
        Chunk = 0;
        ChunkTop = 0;
        ChunkRead = -1;
        CFrameRead = -1;
        TidRead = -1;
        FrameRead = -1;
        TopRead = -1;
        BaseFrame = 0;
        Dropped = false;
        Truncated = false;
    }
}

namespace Pyrometer.Sampling.Python.Async;

/// <summary>One candidate task of one <see cref="RegistryTaskReader"/> pass: what was read of it so far.</summary>
internal sealed class RegistryTaskWork
{
    public ulong Address { get; set; }

    public ulong Waiter { get; set; }

    /// <summary><c>fut_loop</c>: the event loop the task belongs to.</summary>
    public ulong Loop { get; set; }

    public ulong Coroutine { get; set; }

    public ulong NameObject { get; set; }

    /// <summary>Coroutines of the await chain, outermost (the task's own) first: the cycle guard.</summary>
    public List<ulong> Nodes { get; } = [];

    /// <summary>Their frames as read, in the same order.</summary>
    public List<RawFrame> Frames { get; } = [];

    /// <summary>The object the chain goes to next (a coroutine or the awaited leaf), or 0 when the chain ended.</summary>
    public ulong Next { get; set; }

    /// <summary>The frame object (≤3.10) of the coroutine just read, before its own read.</summary>
    public ulong FrameObject { get; set; }

    public ulong Instruction { get; set; }

    /// <summary>What the coroutine just read awaits, when the level's speculative read already held it.</summary>
    public ulong Awaited { get; set; }

    public bool AwaitedKnown { get; set; }

    public int HeadRead { get; set; } = -1;

    public int BodyRead { get; set; } = -1;

    public int SlotRead { get; set; } = -1;

    public int ResumeRead { get; set; } = -1;

    public void Reset(ulong address)
    {
        Address = address;
        Waiter = 0;
        Loop = 0;
        Coroutine = 0;
        NameObject = 0;
        Nodes.Clear();
        Frames.Clear();
        Next = 0;
        FrameObject = 0;
        Instruction = 0;
    }

    /// <summary>Drops the await chain read so far, to read it again from the task's own coroutine.</summary>
    public void Restart()
    {
        Nodes.Clear();
        Frames.Clear();
        Next = Coroutine;
        FrameObject = 0;
        Instruction = 0;
    }
}

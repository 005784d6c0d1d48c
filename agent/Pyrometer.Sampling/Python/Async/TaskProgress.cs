namespace Pyrometer.Sampling.Python.Async;

/// <summary>One task being read by <see cref="DebugOffsetsTaskReader"/>; pooled, reset every tick.</summary>
internal sealed class TaskProgress
{
    public ulong Address { get; private set; }

    public ulong NameObject { get; set; }

    /// <summary>The thread whose task list holds the task (a task is listed by the thread that created it), or 0.</summary>
    public ulong ListThread { get; set; }

    public ulong AwaitedBy { get; set; }

    public bool AwaitedByIsSet { get; set; }

    /// <summary>The coroutine chain as read: the task's own coroutine's frame first.</summary>
    public List<RawFrame> Frames { get; } = [];

    /// <summary>Coroutines visited down the chain (cycle guard).</summary>
    public HashSet<ulong> Visited { get; } = [];

    /// <summary>The object read next down the await chain, and the batch index of its read (-1: none queued).</summary>
    public ulong ChainObject { get; set; }

    public int ChainRead { get; set; } = -1;

    /// <summary>What the read at <see cref="ChainRead"/> holds.</summary>
    public ChainStep ChainStep { get; set; }

    /// <summary>A coroutine's frame is suspended in an await whose target sits at this address (a stack slot).</summary>
    public ulong StackSlot { get; set; }

    public ulong AwaitedTypeAddress { get; set; }

    /// <summary>The object last queued as a coroutine: what the chain ended in when it was not one.</summary>
    public ulong LeafObject { get; set; }

    /// <summary>The leaf's own type once the chain ended in one that can be confirmed next tick (see <see cref="AwaitedLeaf"/>), else 0.</summary>
    public ulong LeafType { get; set; }

    /// <summary>The future a <c>FutureIter</c> leaf iterates, else 0.</summary>
    public ulong LeafFuture { get; set; }

    public bool ChainDone { get; set; }

    /// <summary>The object asked next whether it is (or leads to) the parent task.</summary>
    public ulong ParentProbe { get; set; }

    public bool ParentProbeIsSet { get; set; }

    public int ParentRead { get; set; } = -1;

    public int ParentHops { get; set; }

    /// <summary>The pending parent read is a set's table (after its header).</summary>
    public bool ParentTable { get; set; }

    public ulong Parent { get; set; }

    public bool ParentDone { get; set; }

    public int NameRead { get; set; } = -1;

    public string? Name { get; set; }

    public void Reset(ulong address)
    {
        Address = address;
        NameObject = 0;
        ListThread = 0;
        AwaitedBy = 0;
        AwaitedByIsSet = false;
        Frames.Clear();
        Visited.Clear();
        ChainObject = 0;
        ChainRead = -1;
        ChainStep = ChainStep.Coroutine;
        StackSlot = 0;
        AwaitedTypeAddress = 0;
        LeafObject = 0;
        LeafType = 0;
        LeafFuture = 0;
        ChainDone = false;
        ParentProbe = 0;
        ParentProbeIsSet = false;
        ParentRead = -1;
        ParentHops = 0;
        ParentTable = false;
        Parent = 0;
        ParentDone = false;
        NameRead = -1;
        Name = null;
    }
}

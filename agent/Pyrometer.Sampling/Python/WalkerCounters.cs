namespace Pyrometer.Sampling.Python;

/// <summary>Running totals of a <see cref="StackWalker"/>.</summary>
internal sealed class WalkerCounters
{
    public long Samples { get; set; }

    /// <summary>Samples that failed as a whole (see <see cref="StackSample.Error"/>).</summary>
    public long FailedSamples { get; set; }

    public long DroppedThreads { get; set; }

    public long TruncatedThreads { get; set; }

    /// <summary>Memory reads made by the walker, all samples together.</summary>
    public long Calls { get; set; }

    /// <summary>Threads dropped because a frame could not be read (a stale pointer).</summary>
    public long UnreadableFrames { get; set; }

    /// <summary>Threads dropped for a frame chain that looped or a frame with an impossible owner or no code.</summary>
    public long InvalidFrames { get; set; }

    /// <summary>
    /// Threads dropped because their frame chain changed while it was read: a freed frame (≤3.10) or a
    /// chain that ends short of the thread's base frame (an entry frame on 3.11, a C-stack or
    /// interpreter-owned frame on 3.12+). Emitting what was walked would show a stack cut off at the root.
    /// </summary>
    public long TornChains { get; set; }

    /// <summary>Threads dropped because a code object (or its strings or line table) did not validate.</summary>
    public long InvalidCodes { get; set; }

    /// <summary>Threads dropped for an instruction pointer outside its code object's bytecode.</summary>
    public long InvalidInstructions { get; set; }

    public long CodeCacheMisses { get; set; }

    /// <summary>Cached code objects found replaced (fingerprint mismatch) or flushed by a generation change.</summary>
    public long CodeCacheInvalidations { get; set; }

    /// <summary>Code objects left for a later sample because this one's budget was spent.</summary>
    public long DeferredCodes { get; set; }

    /// <summary>Frames whose code object was deferred (their thread is dropped from that sample).</summary>
    public long DeferredFrames { get; set; }

    /// <summary>Times the code-object cache reached its count or byte bound and started over.</summary>
    public long CodeCacheEvictions { get; set; }

    /// <summary>Threads cut short because the sample's frame or single-read budget was spent.</summary>
    public long BudgetTruncations { get; set; }
}

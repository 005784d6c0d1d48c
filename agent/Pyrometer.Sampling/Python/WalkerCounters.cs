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

    public long CodeCacheMisses { get; set; }

    /// <summary>Cached code objects found replaced (fingerprint mismatch) or flushed by a generation change.</summary>
    public long CodeCacheInvalidations { get; set; }
}

namespace Pyrometer.Sampling.Sampling;

/// <summary>Counters of a sampling run, readable while it runs (a snapshot) and at the end.</summary>
internal sealed record SamplerStats
{
    public long Ticks { get; init; }
    public long MissedTicks { get; init; }

    /// <summary>Thread stacks kept.</summary>
    public long Samples { get; init; }

    /// <summary>Thread stacks dropped because their reads did not add up.</summary>
    public long ErrorSamples { get; init; }

    /// <summary>process_vm_readv calls made in all.</summary>
    public long Calls { get; init; }

    /// <summary>Process samples taken (one per process per tick), the denominator of calls per sample.</summary>
    public long ProcessSamples { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>From the start of <see cref="Sampler.Run"/> to the first stack kept; null when none was.</summary>
    public TimeSpan? FirstSampleAfter { get; init; }

    public double MeanLatenessSeconds { get; init; }
    public double MaxLatenessSeconds { get; init; }
    public StopReason? StoppedBecause { get; init; }

    /// <summary>Async mode: why a process's tasks could not be read at the last look (its version, asyncio not imported); null when they were.</summary>
    public string? AsyncProblem { get; init; }

    public double AchievedRate => Elapsed.TotalSeconds > 0 ? Ticks / Elapsed.TotalSeconds : 0;
    public double CallsPerProcessSample => ProcessSamples > 0 ? (double)Calls / ProcessSamples : 0;
}

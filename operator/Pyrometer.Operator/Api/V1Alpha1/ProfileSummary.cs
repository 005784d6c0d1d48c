namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>Sample counts and the top functions over all targets.</summary>
[Schema("Sample counts and the top functions over all targets.")]
internal sealed class ProfileSummary
{
    public const int MaxTopFunctions = 5;

    [Schema("Samples taken over all targets.")]
    public long Samples { get; set; }

    [Schema("Samples the clock could not take in time.")]
    public long MissedSamples { get; set; }

    [Schema("At most 5 functions, by self time.", MaxItems = MaxTopFunctions)]
    public List<TopFunction> TopFunctions { get; set; } = [];

    [Schema("Blocked asyncio event loops over all targets, when any agent saw them; the worst block names its pod.")]
    public EventLoopBlocked? EventLoopBlocked { get; set; }
}

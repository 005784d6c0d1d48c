namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>What to profile and how. Immutable once created.</summary>
[Schema("What to profile and how. Immutable: to profile again, create another ProfileRequest.")]
internal sealed class ProfileRequestSpec
{
    public const string DefaultDuration = "30s";
    public const int DefaultRate = 100;
    public const int MaxRate = 1000;
    public static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    /// <summary>The value of <see cref="Baseline"/> that picks the newest comparable Succeeded request.</summary>
    public const string LatestBaseline = "latest";
    public const double DefaultRegressionThreshold = 5;
    public const double MaxRegressionThreshold = 100;

    /// <summary>A DNS-1123 subdomain (an object name) or <c>latest</c>.</summary>
    public const string BaselinePattern = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    [Schema("The pod(s), container and process to profile.", Required = true)]
    public ProfileTarget Target { get; set; } = new();

    [Schema("How long to sample, Go-style: 30s, 5m, 1h (1s to 1h; the operator may lower the cap).",
        Default = "\"30s\"", Pattern = @"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$", MaxLength = 32)]
    public string Duration { get; set; } = DefaultDuration;

    [Schema("Samples per second (1 to 1000; the operator may lower the cap).", Minimum = 1, Maximum = MaxRate, Default = "100")]
    public int Rate { get; set; } = DefaultRate;

    [Schema("Follow the root process's descendants too (gunicorn/uvicorn workers).", Default = "true")]
    public bool Subprocesses { get; set; } = true;

    [Schema("cpu: running threads only; wall: idle threads too; gil: the GIL holder only; async: wall, plus one stack per asyncio task under the tasks awaiting it.",
        Enum = [ProfileModes.Cpu, ProfileModes.Wall, ProfileModes.Gil, ProfileModes.Async], Default = "\"cpu\"")]
    public string Mode { get; set; } = ProfileModes.Cpu;

    [Schema("Pause the target's threads while each sample is read (exact stacks, slower target).", Default = "false")]
    public bool Blocking { get; set; }

    [Schema("Artifacts to produce.", Enum = [ProfileFormats.FlameGraph, ProfileFormats.Speedscope, ProfileFormats.Folded, ProfileFormats.Pprof],
        Default = "[\"flamegraph\"]", MinItems = 1, MaxItems = 4, UniqueItems = true)]
    public List<string> Formats { get; set; } = [ProfileFormats.FlameGraph];

    [Schema("Compare with an earlier ProfileRequest in this namespace once this one succeeds: its name, or latest for the most recent Succeeded request with the same target (pod name, selector or owning workload), container and mode. Sets status.comparison and the Regressed condition.",
        Pattern = BaselinePattern, MaxLength = 253)]
    public string? Baseline { get; set; }

    [Schema("With baseline: Regressed is True when a function's share of samples grew by more than this many percentage points (self or total), above 0 and at most 100.",
        Minimum = 0, ExclusiveMinimum = true, Maximum = MaxRegressionThreshold, Default = "5")]
    public double RegressionThreshold { get; set; } = DefaultRegressionThreshold;

    [Schema("Delete the request (and its artifacts) this many seconds after it finished; unset keeps it forever.", Minimum = 0)]
    public long? TtlSecondsAfterFinished { get; set; }
}

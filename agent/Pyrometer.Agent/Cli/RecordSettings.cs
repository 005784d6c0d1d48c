using Pyrometer.Agent.Upload;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Cli;

/// <summary>Everything <c>pyrometer record</c> was asked to do, validated.</summary>
internal sealed record RecordSettings
{
    public const int DefaultRate = 100;
    public const int MaxRate = 10_000;
    public const int DefaultBlockedThresholdMs = 100;
    public const int MaxBlockedThresholdMs = 3_600_000;

    public required TargetSelector Target { get; init; }
    public bool Subprocesses { get; init; }
    public int Rate { get; init; } = DefaultRate;

    /// <summary>Null: until Ctrl-C / SIGTERM (or the target exits).</summary>
    public TimeSpan? Duration { get; init; }
    public SamplingMode Mode { get; init; } = SamplingMode.Cpu;
    public bool Blocking { get; init; }
    public bool Threads { get; init; }
    public IReadOnlyList<string> Formats { get; init; } = ["flamegraph"];
    public string? Output { get; init; }
    public string? OutputDirectory { get; init; }
    public string? ResultFile { get; init; }
    public IReadOnlyList<UploadTarget> Uploads { get; init; } = [];

    /// <summary>The <c>--upload-env</c> variable: a launched command's environment goes without it.</summary>
    public string? UploadVariable { get; init; }

    /// <summary>How long one callback must hold an asyncio event loop to count as a block; null: not looked for.</summary>
    public TimeSpan? BlockedThreshold { get; init; } = TimeSpan.FromMilliseconds(DefaultBlockedThresholdMs);

    /// <summary>How the written profiles look: flamegraph orientation and width, speedscope frames per line.</summary>
    public ViewSettings View { get; init; } = ViewSettings.Default;

    /// <summary>Whether to show progress: a line redrawn on a terminal, an occasional line elsewhere.</summary>
    public bool Progress { get; init; }
}

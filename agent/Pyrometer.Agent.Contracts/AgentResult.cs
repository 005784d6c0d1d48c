namespace Pyrometer.Agent.Contracts;

/// <summary>
/// What the agent reports when it ends: the termination message of its container, read back by
/// the operator. At most <see cref="AgentResultWriter.MaxBytes"/> bytes once serialised.
/// </summary>
public sealed record AgentResult
{
    /// <summary>The schema identifier every result carries.</summary>
    public const string SchemaV1 = "pyrometer.dev/result/v1";

    /// <summary>Always <see cref="SchemaV1"/> for this shape.</summary>
    public string Schema { get; init; } = SchemaV1;

    /// <summary><c>ok</c>, <c>partial</c> or <c>error</c> (see <see cref="ResultStatus"/>).</summary>
    public string Status { get; init; } = ResultStatus.Ok;

    /// <summary>Set when <see cref="Status"/> is <c>error</c> or explains a <c>partial</c> result.</summary>
    public AgentError? Error { get; init; }

    /// <summary>When sampling started (UTC).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>How long sampling ran, in seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>The requested sampling rate, in samples per second.</summary>
    public int Rate { get; init; }

    /// <summary>Stacks recorded (one per sampled thread per tick).</summary>
    public long Samples { get; init; }

    /// <summary>Ticks that could not be taken on time because the previous one ran late.</summary>
    public long MissedSamples { get; init; }

    /// <summary>Thread samples dropped because a read did not add up (torn or invalid memory).</summary>
    public long ErrorSamples { get; init; }

    /// <summary>The processes sampled; trimmed last when the result must shrink.</summary>
    public IReadOnlyList<ResultProcess> Processes { get; init; } = [];

    /// <summary>The hottest functions by self time; trimmed first when the result must shrink.</summary>
    public IReadOnlyList<ResultFunction> Top { get; init; } = [];

    /// <summary>Blocked asyncio event loops, when any block was seen; its stack is trimmed after <see cref="Top"/> to fit.</summary>
    public ResultLoopBlocking? EventLoopBlocked { get; init; }

    /// <summary>The artifacts written or uploaded.</summary>
    public IReadOnlyList<ResultArtifact> Artifacts { get; init; } = [];
}

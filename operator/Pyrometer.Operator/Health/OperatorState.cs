using Pyrometer.Operator.Injection;

namespace Pyrometer.Operator.Health;

/// <summary>What the health endpoints report: whether start-up checks passed and whether this replica leads.</summary>
internal sealed class OperatorState
{
    private volatile bool _ready;
    private volatile bool _leading;

    /// <summary>Start-up checks passed (the API server answered discovery); standby replicas are ready too.</summary>
    public bool Ready
    {
        get => _ready;
        set => _ready = value;
    }

    public bool Leading
    {
        get => _leading;
        set => _leading = value;
    }

    public InjectionMode? Mode { get; set; }

    public string? Identity { get; set; }
}

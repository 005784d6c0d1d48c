namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>A metav1.Condition.</summary>
[Schema("A standard condition (metav1.Condition).")]
internal sealed class Condition
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    [Schema("Ready, Reconciling, Stalled or Regressed.", Required = true)]
    public string Type { get; set; } = "";

    [Schema("True, False or Unknown.", Enum = ["True", "False", "Unknown"], Required = true)]
    public string Status { get; set; } = "";

    [Schema("Machine-readable, CamelCase.")]
    public string? Reason { get; set; }

    [Schema("Human-readable details.")]
    public string? Message { get; set; }

    [Schema("When status last changed.")]
    public DateTimeOffset? LastTransitionTime { get; set; }

    [Schema("The metadata.generation the condition was set for.")]
    public long? ObservedGeneration { get; set; }
}

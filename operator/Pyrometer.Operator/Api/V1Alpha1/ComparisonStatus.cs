namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>How this request's profile differs from its baseline's, function by function.</summary>
[Schema("How this profile differs from the baseline's, by function and file: shares are percent of each profile's own samples, changes percentage points (pp), rounded to 2 decimals.")]
internal sealed class ComparisonStatus
{
    public const int MaxFunctions = 5;

    [Schema("The baseline request compared with (the resolved name when spec.baseline is latest).")]
    public string Baseline { get; set; } = "";

    [Schema("The regression threshold used, in percentage points.")]
    public double Threshold { get; set; }

    [Schema("Samples in the baseline's profile.")]
    public long BeforeSamples { get; set; }

    [Schema("Samples in this request's profile.")]
    public long AfterSamples { get; set; }

    [Schema("At most 5 functions whose share grew the most, largest first.", MaxItems = MaxFunctions)]
    public List<FunctionChangeStatus> Grew { get; set; } = [];

    [Schema("At most 5 functions whose share shrank the most, largest drop first.", MaxItems = MaxFunctions)]
    public List<FunctionChangeStatus> Shrank { get; set; } = [];
}

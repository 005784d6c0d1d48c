namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>One function's change between the baseline's profile and this one.</summary>
[Schema("One function's change: self counts samples where it was the innermost frame, total where it was anywhere on the stack.")]
internal sealed class FunctionChangeStatus
{
    [Schema("The function's name.")]
    public string Function { get; set; } = "";

    [Schema("The function's file (empty when unknown).")]
    public string File { get; set; } = "";

    [Schema("Self share after minus before, in percentage points.")]
    public double SelfChange { get; set; }

    [Schema("Total share after minus before, in percentage points.")]
    public double TotalChange { get; set; }

    [Schema("Self share in the baseline, percent.")]
    public double SelfBefore { get; set; }

    [Schema("Self share in this profile, percent.")]
    public double SelfAfter { get; set; }

    [Schema("Total share in the baseline, percent.")]
    public double TotalBefore { get; set; }

    [Schema("Total share in this profile, percent.")]
    public double TotalAfter { get; set; }
}

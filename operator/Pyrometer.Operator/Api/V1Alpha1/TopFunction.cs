namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>One of the functions with the most self time.</summary>
[Schema("One of the functions with the most self time.")]
internal sealed class TopFunction
{
    [Schema("The function's name.")]
    public string Function { get; set; } = "";

    [Schema("file:line of the function.")]
    public string? Location { get; set; }

    [Schema("Share of samples with this function on top of the stack, in percent.")]
    public double SelfPercent { get; set; }
}

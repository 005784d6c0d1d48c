namespace Pyrometer.Kube.Models;

/// <summary>One <c>matchExpressions</c> entry of a label selector.</summary>
public sealed class LabelSelectorRequirement
{
    /// <summary>The label key.</summary>
    public string Key { get; set; } = "";

    /// <summary><c>In</c>, <c>NotIn</c>, <c>Exists</c> or <c>DoesNotExist</c>.</summary>
    public string Operator { get; set; } = "";

    /// <summary>The values for <c>In</c> and <c>NotIn</c>; empty for the others.</summary>
    public List<string>? Values { get; set; }
}

namespace Pyrometer.Operator.Api;

/// <summary>
/// What the CRD's OpenAPI schema says about a property: its description, bounds, enum and default.
/// The CRD is generated from these, so the C# types stay the single source of truth.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = false)]
internal sealed class SchemaAttribute : Attribute
{
    public SchemaAttribute(string description)
    {
        Description = description;
    }

    public string Description { get; }

    /// <summary>Inclusive lower bound for numbers; NaN when unbounded (attributes cannot hold nullables).</summary>
    public double Minimum { get; init; } = double.NaN;

    /// <summary>Makes <see cref="Minimum"/> exclusive (the value must be greater).</summary>
    public bool ExclusiveMinimum { get; init; }

    /// <summary>Inclusive upper bound for numbers; NaN when unbounded.</summary>
    public double Maximum { get; init; } = double.NaN;

    /// <summary>Allowed values of a string, or of each item of a string list.</summary>
    public string[]? Enum { get; init; }

    /// <summary>The default as JSON text, e.g. <c>100</c>, <c>"30s"</c> or <c>["flamegraph"]</c>.</summary>
    public string? Default { get; init; }

    /// <summary>A regular expression a string must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>Maximum length of a string; 0 for none.</summary>
    public int MaxLength { get; init; }

    /// <summary>Maximum number of list items; 0 for none.</summary>
    public int MaxItems { get; init; }

    /// <summary>Minimum number of list items; 0 for none.</summary>
    public int MinItems { get; init; }

    /// <summary>List items must be unique (<c>x-kubernetes-list-type: set</c>).</summary>
    public bool UniqueItems { get; init; }

    /// <summary>The property must be present.</summary>
    public bool Required { get; init; }
}

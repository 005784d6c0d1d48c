namespace Pyrometer.Rendering.Comparison;

/// <summary>
/// How one function's share changed between two profiles, in percent of each profile's own samples (so a longer
/// recording is no growth). Self counts samples where it was the innermost Python frame, total where it was
/// anywhere on the stack. Changes are in percentage points: AFTER's percent minus BEFORE's.
/// </summary>
public sealed record FunctionChange(
    string Function,
    string File,
    long BeforeSelfSamples,
    long AfterSelfSamples,
    long BeforeTotalSamples,
    long AfterTotalSamples,
    double BeforeSelfPercent,
    double AfterSelfPercent,
    double BeforeTotalPercent,
    double AfterTotalPercent)
{
    /// <summary>Self percentage points gained (negative: lost).</summary>
    public double SelfChange => AfterSelfPercent - BeforeSelfPercent;

    /// <summary>Total percentage points gained (negative: lost).</summary>
    public double TotalChange => AfterTotalPercent - BeforeTotalPercent;

    /// <summary>
    /// What ranks the function: the larger of its self and total change (self on a tie). A function that got
    /// slower itself and a caller that got slower through it both rank; the self column tells them apart.
    /// </summary>
    public double Change => Math.Abs(TotalChange) > Math.Abs(SelfChange) ? TotalChange : SelfChange;

    /// <summary>The function as the tables show it: <c>name (file)</c>, or the name alone when the file is unknown.</summary>
    public string Label => File.Length > 0 ? $"{Function} ({File})" : Function;
}

using System.Globalization;
using System.Text;

namespace Pyrometer.Rendering.Comparison;

/// <summary>
/// The top-changes table as text, for a terminal: the functions that grew and shrank the most, each with its
/// self and total change in percentage points and its shares before → after.
/// </summary>
public static class ChangesTable
{
    /// <summary>Rows per direction (grew, shrank) when the caller does not say.</summary>
    public const int DefaultRows = 10;

    /// <summary>The column header line of <see cref="Render"/>.</summary>
    public const string Header = "  Self pp  Total pp           Self %          Total %  Function (file)";

    /// <summary>The top <paramref name="rows"/> functions that grew and that shrank, as a fixed-width text table.</summary>
    public static string Render(ProfileChanges changes, int rows = DefaultRows)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var text = new StringBuilder();
        text.AppendLine("Top changes in percentage points (pp) of each profile's samples; shares are BEFORE → AFTER.");
        Section(text, "Grew most:", changes.Grew, rows);
        Section(text, "Shrank most:", changes.Shrank, rows);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<FunctionChange> functions, int rows)
    {
        text.AppendLine(title);
        if (functions.Count == 0)
        {
            text.AppendLine("  (none)");
            return;
        }
        text.AppendLine(Header);
        foreach (var f in functions.Take(rows))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Points(f.SelfChange),7}  {Points(f.TotalChange),8}  {f.BeforeSelfPercent,6:0.00} → {f.AfterSelfPercent,6:0.00}  {f.BeforeTotalPercent,6:0.00} → {f.AfterTotalPercent,6:0.00}  {f.Label}"));
        }
        if (functions.Count > rows)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  … and {functions.Count - rows} more"));
        }
    }

    /// <summary>A change with its sign, e.g. <c>+12.34</c>, <c>-0.50</c>, <c>0.00</c>.</summary>
    public static string Points(double change)
    {
        var rounded = Math.Round(change, 2, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0 : rounded).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
    }
}

using System.Globalization;
using System.Text;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Agent.Commands;

/// <summary>
/// The rows of <c>top</c>: each function's share of the last interval (%Own, %Total) and its time since
/// top started (OwnTime, TotalTime, in seconds of samples), as py-spy's top shows them.
/// </summary>
internal sealed class TopTable(int rate)
{
    public const string Header = "  %Own  %Total  OwnTime  TotalTime  Function (file:line)";

    private readonly Dictionary<(string Function, string File), Row> _rows = [];

    /// <summary>Samples in the last interval added.</summary>
    public long WindowSamples { get; private set; }

    /// <summary>Adds one interval's samples; the percentages then describe this interval alone.</summary>
    public void Add(Profile window)
    {
        WindowSamples = window.TotalSamples;
        foreach (var row in _rows.Values)
        {
            row.OwnPercent = row.TotalPercent = 0;
        }
        // Total order lists every function on any stack (the Self order leaves out callers that never ran themselves).
        foreach (var share in ProfileSummary.TopFunctions(window, int.MaxValue, ShareOrder.Total))
        {
            var key = (share.Function, share.File);
            if (!_rows.TryGetValue(key, out var row))
            {
                row = new Row(share.Function, share.File);
                _rows[key] = row;
            }
            row.Line = share.Line;
            row.OwnPercent = share.SelfPercent;
            row.TotalPercent = share.TotalPercent;
            row.OwnSamples += share.SelfSamples;
            row.TotalSamples += share.TotalSamples;
        }
    }

    public string Render(TopSort sort, int count)
    {
        var text = new StringBuilder();
        text.AppendLine(Header);
        foreach (var row in Sorted(sort).Take(count))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.OwnPercent,6:0.0}  {row.TotalPercent,6:0.0}  {Seconds(row.OwnSamples),6:0.00}s  {Seconds(row.TotalSamples),8:0.00}s  {row.Function} ({row.File}:{row.Line})"));
        }
        return text.ToString();
    }

    private double Seconds(long samples) => (double)samples / rate;

    private List<Row> Sorted(TopSort sort)
    {
        var rows = _rows.Values.ToList();
        rows.Sort((a, b) =>
        {
            var order = sort switch
            {
                TopSort.Own => b.OwnPercent.CompareTo(a.OwnPercent),
                TopSort.Total => b.TotalPercent.CompareTo(a.TotalPercent),
                TopSort.OwnTime => b.OwnSamples.CompareTo(a.OwnSamples),
                TopSort.TotalTime => b.TotalSamples.CompareTo(a.TotalSamples),
                _ => 0,
            };
            // Ties (and the name sort): by name then file, so the screen does not flicker.
            return order != 0 ? order
                : string.CompareOrdinal(a.Function, b.Function) is var byName and not 0 ? byName
                : string.CompareOrdinal(a.File, b.File);
        });
        return rows;
    }

    private sealed class Row(string function, string file)
    {
        public string Function { get; } = function;
        public string File { get; } = file;
        public int Line { get; set; }
        public double OwnPercent { get; set; }
        public double TotalPercent { get; set; }
        public long OwnSamples { get; set; }
        public long TotalSamples { get; set; }
    }
}

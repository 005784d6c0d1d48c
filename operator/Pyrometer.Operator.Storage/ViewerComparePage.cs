using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Pyrometer.Rendering.Comparison;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// The result of comparing two requests: the top changes as tables (grew, shrank; percentage points of each
/// profile's samples), links to the differential flame graphs in AFTER's and BEFORE's shape and to the changes
/// JSON, and the same table as text. No scripts; every name is HTML-encoded. Pure.
/// </summary>
internal static class ViewerComparePage
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string Render(ViewerComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var changes = comparison.Changes;
        var query = "before=" + Uri.EscapeDataString(comparison.BeforeId) + "&after=" + Uri.EscapeDataString(comparison.AfterId);
        var html = new StringBuilder();
        html.Append(ViewerPage.Head);
        html.Append("<p><a href=\"../\">&larr; all requests</a></p>\n");
        html.Append("<h2 id=\"comparison\">Before <code id=\"before\">").Append(Html.Encode(comparison.BeforeId)).Append("</code> &rarr; after <code id=\"after\">")
            .Append(Html.Encode(comparison.AfterId)).Append("</code></h2>\n");
        html.Append(string.Create(CultureInfo.InvariantCulture,
            $"<p class=\"who\">{changes.BeforeSamples:N0} samples before, {changes.AfterSamples:N0} after; functions matched by function and file, processes by command line, threads by name.</p>\n"));
        html.Append("<p id=\"diffs\">Differential flame graphs (red grew, blue shrank): ")
            .Append("<a id=\"diff-after\" href=\"compare/diff.svg?").Append(Html.Encode(query)).Append("&amp;shape=after\">AFTER's shape (what grew or is new)</a> &middot; ")
            .Append("<a id=\"diff-before\" href=\"compare/diff.svg?").Append(Html.Encode(query)).Append("&amp;shape=before\">BEFORE's shape (what shrank or went away)</a> &middot; ")
            .Append("<a id=\"changes-json\" href=\"compare/changes.json?").Append(Html.Encode(query)).Append("\">changes as JSON</a></p>\n");
        Section(html, "grew", "Grew most", changes.Grew);
        Section(html, "shrank", "Shrank most", changes.Shrank);
        html.Append("<details><summary>As text</summary><pre id=\"changes-text\">").Append(Html.Encode(ChangesTable.Render(changes))).Append("</pre></details>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Section(StringBuilder html, string id, string title, IReadOnlyList<FunctionChange> functions)
    {
        html.Append("<h3>").Append(title).Append("</h3>\n");
        if (functions.Count == 0)
        {
            html.Append("<p id=\"").Append(id).Append("-none\">None.</p>\n");
            return;
        }
        html.Append("<table id=\"").Append(id).Append("\">\n<thead><tr><th>Function (file)</th><th>Self pp</th><th>Total pp</th><th>Self % before &rarr; after</th><th>Total % before &rarr; after</th></tr></thead>\n<tbody>\n");
        foreach (var f in functions.Take(ChangesTable.DefaultRows))
        {
            html.Append("<tr class=\"change\"><td class=\"function\"><code>").Append(Html.Encode(f.Label)).Append("</code></td>")
                .Append("<td class=\"self\">").Append(ChangesTable.Points(f.SelfChange)).Append("</td>")
                .Append("<td class=\"total\">").Append(ChangesTable.Points(f.TotalChange)).Append("</td>")
                .Append(string.Create(CultureInfo.InvariantCulture, $"<td>{f.BeforeSelfPercent:0.00} &rarr; {f.AfterSelfPercent:0.00}</td><td>{f.BeforeTotalPercent:0.00} &rarr; {f.AfterTotalPercent:0.00}</td></tr>\n"));
        }
        html.Append("</tbody>\n</table>\n");
        if (functions.Count > ChangesTable.DefaultRows)
        {
            html.Append(string.Create(CultureInfo.InvariantCulture, $"<p class=\"who\">… and {functions.Count - ChangesTable.DefaultRows} more in the JSON.</p>\n"));
        }
    }
}

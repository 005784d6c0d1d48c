using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// Renders the viewer: one self-contained HTML page (inline style, no scripts, no external assets) listing the
/// requests with phase, reason, top function and links to their artifacts, for one signed-in user. Every value
/// from a request is HTML-encoded. Pure: same entries in, same bytes out.
/// </summary>
internal static class ViewerPage
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>Sent with the page: nothing may load from elsewhere, no script runs, forms post only to the operator.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The shared head: title, viewport and inline style.</summary>
    public const string Head = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Pyrometer profiles</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; padding: .4em .8em; border-bottom: 1px solid #ddd; vertical-align: top; }
            th { background: #f4f4f4; }
            .phase { font-weight: 600; }
            .Succeeded { color: #1a7f37; } .Failed { color: #cf222e; } .Running { color: #9a6700; } .Pending { color: #57606a; }
            .message, .who { color: #57606a; font-size: 90%; }
            form.inline { display: inline; }
            code { font-size: 95%; }
            </style>
            </head>
            <body>
            <h1>Pyrometer profiles</h1>

            """;

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <param name="entries">The requests the user may get.</param>
    /// <param name="user">The signed-in user's name.</param>
    /// <param name="hidden">How many requests are in namespaces the user may not see (only the count is shown).</param>
    public static string Render(IReadOnlyList<ViewerEntry> entries, string user, int hidden)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(user);
        var html = new StringBuilder();
        html.Append(Head);
        html.Append("<p class=\"who\">Signed in as <span id=\"user\">").Append(Html.Encode(user)).Append("</span>")
            .Append(" <form class=\"inline\" method=\"post\" action=\"viewer/logout\"><button>Sign out</button></form>");
        if (hidden > 0)
        {
            html.Append(string.Create(CultureInfo.InvariantCulture, $" &middot; <span id=\"hidden\">{hidden}</span> more in namespaces where you may not get ProfileRequests"));
        }
        html.Append("</p>\n");
        if (entries.Count == 0)
        {
            html.Append("<p id=\"empty\">No ProfileRequests yet. Create one with <code>kubectl apply -f profilerequest.yaml</code>; it appears here once the operator sees it.</p>\n");
        }
        else
        {
            html.Append("<table id=\"requests\">\n<thead><tr><th>Namespace</th><th>Name</th><th>Phase</th><th>Top function</th><th>Artifacts</th></tr></thead>\n<tbody>\n");
            foreach (var entry in entries.OrderBy(e => e.Namespace, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal))
            {
                AppendRow(html, entry);
            }
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendRow(StringBuilder html, ViewerEntry entry)
    {
        var phaseClass = entry.Phase is "Pending" or "Running" or "Succeeded" or "Failed" ? entry.Phase : "Unknown";
        html.Append("<tr class=\"request\">");
        html.Append("<td>").Append(Html.Encode(entry.Namespace)).Append("</td>");
        html.Append("<td class=\"name\">").Append(Html.Encode(entry.Name)).Append("</td>");
        html.Append("<td><span class=\"phase ").Append(phaseClass).Append("\">").Append(Html.Encode(entry.Phase)).Append("</span>");
        if (!string.IsNullOrEmpty(entry.Reason))
        {
            html.Append(" (").Append(Html.Encode(entry.Reason)).Append(')');
        }
        if (!string.IsNullOrEmpty(entry.Message))
        {
            html.Append("<div class=\"message\">").Append(Html.Encode(entry.Message)).Append("</div>");
        }
        html.Append("</td><td class=\"top\">");
        if (!string.IsNullOrEmpty(entry.TopFunction))
        {
            html.Append("<code>").Append(Html.Encode(entry.TopFunction)).Append("</code>");
            if (entry.TopSelfPercent is { } percent)
            {
                html.Append(string.Create(CultureInfo.InvariantCulture, $" {percent:0.0}%"));
            }
        }
        html.Append("</td><td class=\"artifacts\">");
        var first = true;
        foreach (var artifact in entry.Artifacts.OrderBy(a => a.Key.Pod ?? "", StringComparer.Ordinal).ThenBy(a => a.Key.Format, StringComparer.Ordinal))
        {
            if (!first)
            {
                html.Append("<br>");
            }
            first = false;
            var label = artifact.Key.Pod is null ? artifact.Key.Format : $"{artifact.Key.Format} ({artifact.Key.Pod})";
            html.Append("<a href=\"").Append(Html.Encode(artifact.RelativeLink)).Append("\">").Append(Html.Encode(label)).Append("</a>");
            if (artifact.Bytes is { } bytes)
            {
                html.Append(' ').Append(FormatSize(bytes));
            }
        }
        html.Append("</td></tr>\n");
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
    };
}

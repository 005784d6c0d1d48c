using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// Renders the viewer: one self-contained HTML page (inline style, no scripts, no external assets) listing the
/// requests, newest first, with completion time, phase, reason, top function, links to their artifacts (and to
/// speedscope) and a form comparing two of them, for one signed-in user. Every value from a request is
/// HTML-encoded. Pure: same entries and time in, same bytes out.
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
            .message, .who, .absolute, .pending { color: #57606a; font-size: 90%; }
            td.time { white-space: nowrap; }
            td.pick { white-space: nowrap; }
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
    /// <param name="now">The time the relative times are counted from.</param>
    /// <param name="speedscope">Whether speedscope artifacts get an "open in speedscope" link.</param>
    public static string Render(IReadOnlyList<ViewerEntry> entries, string user, int hidden, DateTimeOffset now, bool speedscope)
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
            // A plain GET form: picking two requests and comparing them works without JavaScript.
            html.Append("<form id=\"compare\" method=\"get\" action=\"viewer/compare\">\n");
            if (entries.Any(e => ViewerCompareSource.Pick(e) is not null))
            {
                html.Append("<p class=\"compare\">To compare two succeeded requests, pick one as <strong>before</strong> (B) and one as <strong>after</strong> (A), then <button type=\"submit\">Compare</button></p>\n");
            }
            else
            {
                html.Append("<p class=\"compare\">Requests with a <code>folded</code> or <code>pprof</code> profile can be compared here once they succeed.</p>\n");
            }
            html.Append("<table id=\"requests\">\n<thead><tr><th title=\"before / after\">B&nbsp;A</th><th>Completed</th><th>Namespace</th><th>Name</th><th>Phase</th><th>Top function</th><th>Artifacts</th></tr></thead>\n<tbody>\n");
            foreach (var entry in Sorted(entries))
            {
                AppendRow(html, entry, now, speedscope);
            }
            html.Append("</tbody>\n</table>\n</form>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// Newest first: requests still under way on top (by creation, newest first), then finished ones by completion
    /// time, newest first; ties and unknown times by namespace and name, so the order is total.
    /// </summary>
    public static IEnumerable<ViewerEntry> Sorted(IEnumerable<ViewerEntry> entries) => entries
        .OrderBy(e => e.CompletedAt is null ? 0 : 1)
        .ThenByDescending(e => e.CompletedAt ?? e.CreatedAt ?? DateTimeOffset.MinValue)
        .ThenBy(e => e.Namespace, StringComparer.Ordinal)
        .ThenBy(e => e.Name, StringComparer.Ordinal);

    private static void AppendRow(StringBuilder html, ViewerEntry entry, DateTimeOffset now, bool speedscope)
    {
        var phaseClass = entry.Phase is "Pending" or "Running" or "Succeeded" or "Failed" ? entry.Phase : "Unknown";
        html.Append("<tr class=\"request\">");
        html.Append("<td class=\"pick\">");
        if (ViewerCompareSource.Pick(entry) is not null)
        {
            var id = Html.Encode(entry.Id);
            html.Append("<input type=\"radio\" name=\"before\" value=\"").Append(id).Append("\" title=\"before\" aria-label=\"before: ").Append(id).Append("\">")
                .Append("<input type=\"radio\" name=\"after\" value=\"").Append(id).Append("\" title=\"after\" aria-label=\"after: ").Append(id).Append("\">");
        }
        html.Append("</td>");
        AppendTime(html, entry, now);
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
            if (speedscope && artifact.Key.Format == SpeedscopeFormat)
            {
                // A new tab: the app lives on another origin. No referrer: the viewer's address is not its business.
                html.Append(" &middot; <a class=\"speedscope\" href=\"").Append(Html.Encode(artifact.SpeedscopeLink))
                    .Append("\" target=\"_blank\" rel=\"noopener noreferrer\">open in speedscope</a>");
            }
        }
        html.Append("</td></tr>\n");
    }

    private static void AppendTime(StringBuilder html, ViewerEntry entry, DateTimeOffset now)
    {
        html.Append("<td class=\"time\">");
        if (entry.CompletedAt is { } completed)
        {
            html.Append("<time datetime=\"").Append(ViewerTime.Machine(completed)).Append("\">").Append(ViewerTime.Relative(completed, now)).Append("</time>")
                .Append("<div class=\"absolute\">").Append(ViewerTime.Absolute(completed)).Append("</div>");
        }
        else if (entry.CreatedAt is { } created)
        {
            html.Append("<span class=\"pending\">not yet</span><div class=\"absolute\">created ").Append(ViewerTime.Relative(created, now)).Append("</div>");
        }
        else
        {
            html.Append("<span class=\"pending\">not yet</span>");
        }
        html.Append("</td>");
    }

    /// <summary>The format name of speedscope artifacts (as <c>spec.formats</c> spells it).</summary>
    public const string SpeedscopeFormat = "speedscope";

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
    };
}

using System.Globalization;

namespace Pyrometer.Operator.Storage;

/// <summary>Times on the viewer page: relative to the page's "now" (e.g. <c>5 min ago</c>) and absolute in UTC.</summary>
internal static class ViewerTime
{
    /// <summary>E.g. <c>2026-12-07 02:29:32 UTC</c>.</summary>
    public static string Absolute(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd HH':'mm':'ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>For the datetime attribute of &lt;time&gt;, e.g. <c>2026-12-07T02:29:32Z</c>.</summary>
    public static string Machine(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>E.g. <c>just now</c>, <c>42 s ago</c>, <c>5 min ago</c>, <c>3 h ago</c>, <c>12 d ago</c>; a time ahead of now (clock skew) is "just now".</summary>
    public static string Relative(DateTimeOffset time, DateTimeOffset now)
    {
        var age = now - time;
        return age.TotalSeconds switch
        {
            < 1 => "just now",
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalSeconds} s ago"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes} min ago"),
            < 86400 => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h ago"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d ago"),
        };
    }
}

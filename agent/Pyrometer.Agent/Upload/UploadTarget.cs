namespace Pyrometer.Agent.Upload;

/// <summary>Where one artifact goes: <c>--upload FORMAT=URL</c>.</summary>
internal sealed record UploadTarget(string Format, Uri Url)
{
    /// <summary>The URL without its query string: presigned signatures are secrets and never printed.</summary>
    public string SafeUrl => Url.GetLeftPart(UriPartial.Path);

    /// <summary>Parses <c>FORMAT=URL</c>; the URL must be absolute http(s).</summary>
    public static bool TryParse(string text, out UploadTarget? target, out string error)
    {
        target = null;
        var separator = text.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0)
        {
            error = $"--upload expects FORMAT=URL, got '{Redact(text)}'";
            return false;
        }
        var format = text[..separator].Trim();
        var url = text[(separator + 1)..].Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"--upload {format}=…: the URL must be an absolute http or https URL";
            return false;
        }
        target = new UploadTarget(format, uri);
        error = "";
        return true;
    }

    private static string Redact(string text)
    {
        var query = text.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? text : text[..query] + "?…";
    }
}

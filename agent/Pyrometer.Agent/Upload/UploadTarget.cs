namespace Pyrometer.Agent.Upload;

/// <summary>Where one artifact goes: <c>--upload FORMAT=URL</c>, or a line of <c>--upload-env</c>.</summary>
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
        if (!TryCreateUrl(text[(separator + 1)..].Trim(), out var uri))
        {
            error = $"--upload {format}=…: the URL must be an absolute http or https URL";
            return false;
        }
        target = new UploadTarget(format, uri);
        error = "";
        return true;
    }

    /// <summary>An absolute http(s) URL, exactly as given: no surrounding whitespace, no control characters.</summary>
    public static bool TryCreateUrl(string text, out Uri url)
    {
        url = null!;
        if (text.Length == 0 || text.Any(char.IsControl) || text.Trim().Length != text.Length ||
            !Uri.TryCreate(text, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps) || parsed.Host.Length == 0)
        {
            return false;
        }
        url = parsed;
        return true;
    }

    private static string Redact(string text)
    {
        var query = text.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? text : text[..query] + "?…";
    }
}

namespace Pyrometer.Kubectl.Record;

/// <summary>Makes text from the cluster safe to print: a status string could carry escape sequences that rewrite the terminal.</summary>
internal static class Terminal
{
    public static string Safe(string? text, int max = 300)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var cleaned = new string([.. text.Take(max).Select(c => char.IsControl(c) ? ' ' : c)]);
        return text.Length > max ? cleaned + "…" : cleaned;
    }
}

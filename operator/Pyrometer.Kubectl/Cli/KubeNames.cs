using System.Text.RegularExpressions;

namespace Pyrometer.Kubectl.Cli;

/// <summary>Checks the names a user types before they reach a URL path or a request body.</summary>
internal static partial class KubeNames
{
    /// <summary>A DNS-1123 subdomain: what pods, deployments and ProfileRequests are named.</summary>
    public static bool IsObjectName(string? name) => name is { Length: > 0 and <= 253 } && Subdomain().IsMatch(name);

    /// <summary>A DNS-1123 label: what namespaces and containers are named.</summary>
    public static bool IsLabel(string? name) => name is { Length: > 0 and <= 63 } && Label().IsMatch(name);

    /// <summary>A label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static bool IsLabelKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        return (slash < 0 || IsObjectName(key[..slash])) && name.Length <= 63 && LabelName().IsMatch(name);
    }

    /// <summary>A label value: empty, or at most 63 alphanumerics with '-', '_' and '.' inside.</summary>
    public static bool IsLabelValue(string? value) => value is not null && (value.Length == 0 || value.Length <= 63 && LabelName().IsMatch(value));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();
}

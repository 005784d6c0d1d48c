namespace Pyrometer.Kubectl.Cli;

/// <summary>Parses <c>TYPE/NAME</c> as kubectl does (a bare NAME is a pod), or takes a <c>-l</c> selector.</summary>
internal static class TargetParser
{
    private static readonly string[] PodTypes = ["pod", "pods", "po"];
    private static readonly string[] DeploymentTypes = ["deploy", "deployment", "deployments", "deployment.apps", "deployments.apps"];

    /// <param name="allowDeployment">False for dump and top, which need one pod.</param>
    public static TargetSpec? Parse(string? resource, string? selector, bool allowDeployment, out string error)
    {
        error = "";
        if (resource is not null && selector is not null)
        {
            error = "give either TYPE/NAME or -l SELECTOR, not both";
            return null;
        }
        if (selector is not null)
        {
            if (!allowDeployment)
            {
                error = "-l is not supported here: name one pod (pod/NAME)";
                return null;
            }
            var parsed = LabelSelectorParser.Parse(selector, out error);
            return parsed is null ? null : new TargetSpec(TargetKind.Selector, null, parsed);
        }
        if (string.IsNullOrEmpty(resource))
        {
            error = allowDeployment ? "name a target: deploy/NAME, pod/NAME or -l SELECTOR" : "name a pod: pod/NAME";
            return null;
        }
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        var type = slash < 0 ? "pod" : resource[..slash].ToLowerInvariant();
        var name = slash < 0 ? resource : resource[(slash + 1)..];
        TargetKind kind;
        if (PodTypes.Contains(type))
        {
            kind = TargetKind.Pod;
        }
        else if (DeploymentTypes.Contains(type) && allowDeployment)
        {
            kind = TargetKind.Deployment;
        }
        else
        {
            error = allowDeployment
                ? $"unsupported target type '{Printable(type)}': use deploy/NAME, pod/NAME or -l SELECTOR"
                : $"unsupported target type '{Printable(type)}': name a pod (pod/NAME)";
            return null;
        }
        if (!KubeNames.IsObjectName(name))
        {
            error = $"'{Printable(name)}' is not a valid {(kind == TargetKind.Pod ? "pod" : "deployment")} name (lowercase letters, digits, '-' and '.')";
            return null;
        }
        return new TargetSpec(kind, name, null);
    }

    internal static string Printable(string text) => new([.. text.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}

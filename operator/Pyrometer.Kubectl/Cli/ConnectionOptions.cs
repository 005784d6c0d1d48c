using System.CommandLine;

namespace Pyrometer.Kubectl.Cli;

/// <summary>kubectl's connection flags, which kubectl hands to a plugin untouched: the plugin must honour them itself.</summary>
internal sealed class ConnectionOptions
{
    public Option<string?> Namespace { get; } = new("--namespace", "-n") { Description = "The namespace (default: the context's, else 'default')", Recursive = true };

    public Option<string?> Context { get; } = new("--context") { Description = "The kubeconfig context to use", Recursive = true };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)", Recursive = true };

    public IEnumerable<Option> All => [Namespace, Context, Kubeconfig];

    public ConnectionSettings? Bind(ParseResult result, List<string> errors)
    {
        var ns = result.GetValue(Namespace);
        if (ns is not null && !KubeNames.IsLabel(ns))
        {
            errors.Add($"'{TargetParser.Printable(ns)}' is not a valid namespace name");
            return null;
        }
        return new ConnectionSettings(result.GetValue(Kubeconfig), result.GetValue(Context), ns);
    }
}

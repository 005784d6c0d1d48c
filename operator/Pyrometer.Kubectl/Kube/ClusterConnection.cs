using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Kube;

/// <summary>
/// A client for the cluster kubectl would talk to: the same kubeconfig search (--kubeconfig, then every file in
/// $KUBECONFIG merged, then ~/.kube/config), context and namespace. KubernetesClient runs exec credential plugins
/// and reads client certificates and tokens from it.
/// </summary>
internal sealed class ClusterConnection : IDisposable
{
    private ClusterConnection(IKubernetes client, string @namespace)
    {
        Client = client;
        Namespace = @namespace;
    }

    public IKubernetes Client { get; }

    /// <summary>The namespace every command works in: -n, else the context's, else "default".</summary>
    public string Namespace { get; }

    public static ClusterConnection Connect(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ClusterConnection(new k8s.Kubernetes(Configure(settings, out var ns)), ns);
    }

    /// <summary>For tests: a client built from a ready configuration.</summary>
    public static ClusterConnection FromConfiguration(KubernetesClientConfiguration configuration, string @namespace) =>
        new(new k8s.Kubernetes(configuration), @namespace);

    internal static KubernetesClientConfiguration Configure(ConnectionSettings settings, out string @namespace)
    {
        var files = KubeconfigFiles(settings.Kubeconfig, Environment.GetEnvironmentVariable("KUBECONFIG"));
        KubernetesClientConfiguration configuration;
        try
        {
            if (files.Count == 0 && settings.Context is null && KubernetesClientConfiguration.IsInCluster())
            {
                configuration = KubernetesClientConfiguration.InClusterConfig();
            }
            else if (files.Count == 0)
            {
                throw new PluginException(settings.Kubeconfig is null
                    ? "no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config"
                    : $"kubeconfig {settings.Kubeconfig} does not exist");
            }
            else
            {
                var merged = Merge([.. files.Select(KubeconfigFile.Read)]);
                configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, settings.Context);
            }
        }
        catch (KubeConfigException e)
        {
            throw new PluginException($"cannot use the kubeconfig: {OneLine(e.Message)}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new PluginException($"cannot read the kubeconfig: {OneLine(e.Message)}", e);
        }
        @namespace = settings.Namespace ?? (string.IsNullOrEmpty(configuration.Namespace) ? "default" : configuration.Namespace);
        if (!KubeNames.IsLabel(@namespace))
        {
            throw new PluginException($"the kubeconfig's namespace '{TargetParser.Printable(@namespace)}' is not a valid namespace name");
        }
        return configuration;
    }

    /// <summary>The files kubectl would read, in its order; a path in $KUBECONFIG that does not exist is skipped, as kubectl does.</summary>
    internal static IReadOnlyList<string> KubeconfigFiles(string? flag, string? variable)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return File.Exists(flag) ? [flag] : [];
        }
        if (!string.IsNullOrEmpty(variable))
        {
            return [.. variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).Distinct(StringComparer.Ordinal)];
        }
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? [home] : [];
    }

    /// <summary>
    /// kubectl's merge of several kubeconfig files: the first file that names a cluster, user or context wins, and so
    /// does the first current-context. (KubernetesClient's own merge is not public.)
    /// </summary>
    internal static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> configs)
    {
        var merged = configs[0];
        foreach (var next in configs.Skip(1))
        {
            merged.CurrentContext = string.IsNullOrEmpty(merged.CurrentContext) ? next.CurrentContext : merged.CurrentContext;
            merged.Clusters = [.. merged.Clusters ?? [], .. (next.Clusters ?? []).Where(c => merged.Clusters?.Any(m => m.Name == c.Name) != true)];
            merged.Users = [.. merged.Users ?? [], .. (next.Users ?? []).Where(u => merged.Users?.Any(m => m.Name == u.Name) != true)];
            merged.Contexts = [.. merged.Contexts ?? [], .. (next.Contexts ?? []).Where(c => merged.Contexts?.Any(m => m.Name == c.Name) != true)];
        }
        return merged;
    }

    internal static string OneLine(string text) =>
        new([.. text.ReplaceLineEndings(" ").Take(400).Select(c => char.IsControl(c) ? ' ' : c)]);

    public void Dispose() => Client.Dispose();
}

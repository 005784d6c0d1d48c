using System.Text;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Pyrometer.Kubectl.Kube;

/// <summary>
/// Reads one kubeconfig file into KubernetesClient's model. The client's own reader builds its YAML deserializers
/// over every model type it has, which adds ~0.6 s to every command's start; the kubeconfig types name their keys
/// themselves, so a plain deserializer reads them the same way.
/// </summary>
internal static class KubeconfigFile
{
    /// <summary>Larger than any real kubeconfig (big ones, with many clusters and inline certificates, are ~100 KB).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>The file's model (empty for an empty file), with relative paths in it resolved against the file's directory.</summary>
    public static K8SConfiguration Read(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length > MaxBytes)
        {
            throw new PluginException($"kubeconfig {path} is {file.Length} bytes; larger than {MaxBytes} bytes is refused");
        }
        using var reader = new StreamReader(file, Encoding.UTF8);
        var parser = new MergingParser(new Parser(reader));
        var config = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<K8SConfiguration?>(parser) ?? new K8SConfiguration();
        config.FileName = Path.GetFullPath(path);
        return config;
    }
}

using System.Text;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Pyrometer.Kube.Connection;

/// <summary>
/// Reads one kubeconfig file into the client's model. The client's own reader goes through
/// <c>KubernetesYaml</c>, whose deserializers are built over every model type the client has: about 35 MB of
/// resident memory for the process's lifetime, to read one small file. This deserializer knows only the
/// kubeconfig types, which name their YAML keys themselves.
/// </summary>
internal static class KubeconfigYaml
{
    /// <summary>Larger than any real kubeconfig (big ones, with many clusters and inline certificates, are ~100 KB).</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>The file's text, refused past <see cref="MaxFileBytes"/>.</summary>
    public static string ReadText(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            if (file.Length > MaxFileBytes)
            {
                throw new KubeConfigException($"{path} is {file.Length} bytes; a kubeconfig larger than {MaxFileBytes} bytes is refused.");
            }
            using var reader = new StreamReader(file, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"Cannot read the kubeconfig {path}: {e.Message}", e);
        }
    }

    /// <summary>The file's model, or null for an empty file. Unknown keys are ignored, as the client and kubectl do.</summary>
    public static K8SConfiguration? Parse(string path, string text)
    {
        // Built per call: files are read once at start-up, and a deserializer is not documented as thread-safe.
        var deserializer = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();
        try
        {
            return deserializer.Deserialize<K8SConfiguration?>(new MergingParser(new Parser(new StringReader(text))));
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"{path} is not valid YAML: {e.Message}", e);
        }
    }
}

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pyrometer.Kube.Connection;

/// <summary>
/// The <c>users[].user.tokenFile</c> entries of kubeconfig files, which the official client's model has no field
/// for. The first file to name a user wins, as for every other entry; paths are relative to their file.
/// </summary>
internal static class KubeconfigTokenFiles
{
    public static Dictionary<string, string> Read(IEnumerable<string> paths, Dictionary<string, string> texts)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            foreach (var (user, file) in ReadOne(path, texts[path]))
            {
                files.TryAdd(user, file);
            }
        }
        return files;
    }

    private static IEnumerable<(string User, string File)> ReadOne(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"{path} is not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root ||
            !root.Children.TryGetValue(new YamlScalarNode("users"), out var users) || users is not YamlSequenceNode list)
        {
            yield break;
        }
        var directory = Path.GetDirectoryName(path) ?? ".";
        foreach (var item in list)
        {
            if (item is YamlMappingNode entry &&
                entry.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name is YamlScalarNode { Value: { Length: > 0 } userName } &&
                entry.Children.TryGetValue(new YamlScalarNode("user"), out var body) && body is YamlMappingNode user &&
                user.Children.TryGetValue(new YamlScalarNode("tokenFile"), out var file) && file is YamlScalarNode { Value: { Length: > 0 } tokenFile })
            {
                yield return (userName, Path.GetFullPath(tokenFile, directory));
            }
        }
    }
}

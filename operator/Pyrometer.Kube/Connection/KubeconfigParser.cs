using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pyrometer.Kube.Connection;

/// <summary>
/// Reads kubeconfig files: contexts, clusters and users, merged across files the way kubectl does
/// (the first file to define a name or the current context wins). Walks the YAML node tree instead
/// of binding to classes, which keeps it free of reflection.
/// </summary>
internal static class KubeconfigParser
{
    public static IReadOnlyList<string> DefaultPaths(Func<string, string?> environment, string home)
    {
        var variable = environment("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            return variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return [Path.Combine(home, ".kube", "config")];
    }

    public static KubeConnection Load(IReadOnlyList<string> paths, string? context)
    {
        var existing = paths.Where(File.Exists).ToList();
        if (existing.Count == 0)
        {
            throw new KubeConfigException($"No kubeconfig found (looked at: {string.Join(", ", paths)}).");
        }
        var merged = new Document(null, new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        foreach (var path in existing)
        {
            var full = Path.GetFullPath(path);
            var document = Parse(File.ReadAllText(full), Path.GetDirectoryName(full) ?? ".", full);
            merged = new Document(
                merged.CurrentContext ?? document.CurrentContext,
                Merge(merged.Contexts, document.Contexts),
                Merge(merged.Clusters, document.Clusters),
                Merge(merged.Users, document.Users));
        }
        return Resolve(merged, context);
    }

    private static Dictionary<string, Entry> Merge(Dictionary<string, Entry> first, Dictionary<string, Entry> second)
    {
        foreach (var (name, entry) in second)
        {
            first.TryAdd(name, entry);
        }
        return first;
    }

    private static Document Parse(string text, string baseDirectory, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"{source} is not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            // An empty file is legal and contributes nothing.
            return new Document(null, new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        }
        var current = Scalar(root, "current-context", source);
        return new Document(
            string.IsNullOrEmpty(current) ? null : current,
            Section(root, "contexts", "context", baseDirectory, source),
            Section(root, "clusters", "cluster", baseDirectory, source),
            Section(root, "users", "user", baseDirectory, source));
    }

    private static Dictionary<string, Entry> Section(YamlMappingNode root, string key, string inner, string baseDirectory, string source)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is YamlScalarNode { Value: null or "" or "null" })
        {
            return entries;
        }
        if (node is not YamlSequenceNode list)
        {
            throw new KubeConfigException($"{source}: '{key}' must be a list.");
        }
        foreach (var item in list)
        {
            if (item is not YamlMappingNode mapping)
            {
                throw new KubeConfigException($"{source}: every entry of '{key}' must be a mapping.");
            }
            var name = Scalar(mapping, "name", source);
            if (string.IsNullOrEmpty(name))
            {
                throw new KubeConfigException($"{source}: an entry of '{key}' has no name.");
            }
            var body = mapping.Children.TryGetValue(new YamlScalarNode(inner), out var value) && value is YamlMappingNode map
                ? map
                : new YamlMappingNode();
            entries.TryAdd(name, new Entry(body, baseDirectory, source));
        }
        return entries;
    }

    private static KubeConnection Resolve(Document document, string? requested)
    {
        var name = requested ?? document.CurrentContext ?? throw new KubeConfigException(
            "The kubeconfig sets no current-context; choose a context explicitly.");
        if (!document.Contexts.TryGetValue(name, out var context))
        {
            var known = document.Contexts.Count == 0 ? "none" : string.Join(", ", document.Contexts.Keys.Order(StringComparer.Ordinal));
            throw new KubeConfigException($"Context '{name}' is not in the kubeconfig (contexts: {known}).");
        }
        var clusterName = Scalar(context.Node, "cluster", context.Source);
        if (string.IsNullOrEmpty(clusterName) || !document.Clusters.TryGetValue(clusterName, out var cluster))
        {
            throw new KubeConfigException($"Context '{name}' refers to cluster '{clusterName}', which is not defined.");
        }
        var userName = Scalar(context.Node, "user", context.Source);
        Entry? user = null;
        if (!string.IsNullOrEmpty(userName) && !document.Users.TryGetValue(userName, out user))
        {
            throw new KubeConfigException($"Context '{name}' refers to user '{userName}', which is not defined.");
        }
        var ns = Scalar(context.Node, "namespace", context.Source);

        var server = Scalar(cluster.Node, "server", cluster.Source);
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("https" or "http"))
        {
            throw new KubeConfigException($"Cluster '{clusterName}' needs an http(s) server address, not '{server}'.");
        }
        if (!serverUri.AbsolutePath.EndsWith('/'))
        {
            serverUri = new Uri(serverUri.AbsoluteUri + "/");
        }
        var insecure = Flag(cluster.Node, "insecure-skip-tls-verify", cluster.Source);
        var caPem = Material(cluster, "certificate-authority-data", "certificate-authority", $"cluster '{clusterName}'");
        if (insecure && caPem is not null)
        {
            // kubectl refuses this combination too: it is almost always a mistake.
            throw new KubeConfigException(
                $"Cluster '{clusterName}' sets both insecure-skip-tls-verify and a certificate authority; choose one.");
        }

        return new KubeConnection
        {
            Server = serverUri,
            InsecureSkipTlsVerify = insecure,
            CertificateAuthorities = caPem is null ? null : Authorities(caPem, clusterName!),
            Namespace = string.IsNullOrEmpty(ns) ? "default" : ns,
            Token = user is null ? null : NullIfEmpty(Scalar(user.Node, "token", user.Source)),
            TokenFile = user is null ? null : FilePath(user, Scalar(user.Node, "tokenFile", user.Source)),
            ClientCertificate = user is null ? null : ClientCertificate(user, userName!),
        };
    }

    private static X509Certificate2Collection Authorities(string pem, string clusterName)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"The certificate authority of cluster '{clusterName}' is not valid PEM: {e.Message}", e);
        }
        if (collection.Count == 0)
        {
            throw new KubeConfigException($"The certificate authority of cluster '{clusterName}' holds no certificate.");
        }
        return collection;
    }

    private static X509Certificate2? ClientCertificate(Entry user, string userName)
    {
        foreach (var unsupported in (string[])["exec", "auth-provider", "username"])
        {
            if (user.Node.Children.ContainsKey(new YamlScalarNode(unsupported)))
            {
                throw new KubeConfigException(
                    $"User '{userName}' authenticates with '{unsupported}', which is not supported; use a token, a token file or a client certificate.");
            }
        }
        var certificate = Material(user, "client-certificate-data", "client-certificate", $"user '{userName}'");
        var key = Material(user, "client-key-data", "client-key", $"user '{userName}'");
        if (certificate is null && key is null)
        {
            return null;
        }
        if (certificate is null || key is null)
        {
            throw new KubeConfigException($"User '{userName}' needs both a client certificate and a client key.");
        }
        try
        {
            // Accepts PKCS#1 RSA, SEC1 EC and PKCS#8 keys, matched to the certificate's algorithm.
            return X509Certificate2.CreateFromPem(certificate, key);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"The client certificate or key of user '{userName}' is invalid: {e.Message}", e);
        }
    }

    /// <summary>PEM text from an inline base64 field or from a file path field.</summary>
    private static string? Material(Entry entry, string dataKey, string fileKey, string owner)
    {
        var data = Scalar(entry.Node, dataKey, entry.Source);
        if (!string.IsNullOrEmpty(data))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new KubeConfigException($"{dataKey} of {owner} is not base64.", e);
            }
        }
        var file = FilePath(entry, Scalar(entry.Node, fileKey, entry.Source));
        if (file is null)
        {
            return null;
        }
        if (!File.Exists(file))
        {
            throw new KubeConfigException($"{fileKey} of {owner} names {file}, which does not exist.");
        }
        return File.ReadAllText(file);
    }

    private static string? FilePath(Entry entry, string? path) =>
        string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path, entry.BaseDirectory);

    private static bool Flag(YamlMappingNode node, string key, string source) =>
        Scalar(node, key, source) switch
        {
            null or "" or "false" or "False" => false,
            "true" or "True" => true,
            var other => throw new KubeConfigException($"{source}: '{key}' must be true or false, not '{other}'."),
        };

    private static string? Scalar(YamlMappingNode node, string key, string source)
    {
        if (!node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return null;
        }
        return value is YamlScalarNode scalar
            ? scalar.Value
            : throw new KubeConfigException($"{source}: '{key}' must be a plain value.");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed record Entry(YamlMappingNode Node, string BaseDirectory, string Source);

    private sealed record Document(
        string? CurrentContext,
        Dictionary<string, Entry> Contexts,
        Dictionary<string, Entry> Clusters,
        Dictionary<string, Entry> Users);
}

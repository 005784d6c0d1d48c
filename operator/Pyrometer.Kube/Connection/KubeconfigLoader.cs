using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Authentication;
using k8s.KubeConfigModels;
using ClientConfigException = k8s.Exceptions.KubeConfigException;

namespace Pyrometer.Kube.Connection;

/// <summary>
/// Reads kubeconfig files through the official client (merging, relative paths, <c>exec</c> credential
/// plugins, OIDC), then turns the result into a <see cref="KubeConnection"/> so that our own handler keeps
/// the TLS checks. Adds what the client's model lacks (<c>tokenFile</c>) and refuses what we do not support.
/// </summary>
internal static class KubeconfigLoader
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
        var existing = paths.Where(File.Exists).Select(Path.GetFullPath).ToList();
        if (existing.Count == 0)
        {
            throw new KubeConfigException($"No kubeconfig found (looked at: {string.Join(", ", paths)}).");
        }
        var texts = existing.Distinct(StringComparer.Ordinal).ToDictionary(p => p, KubeconfigYaml.ReadText, StringComparer.Ordinal);
        var config = Read(existing, texts);
        var tokenFiles = KubeconfigTokenFiles.Read(existing, texts);

        var contexts = config.Contexts?.Where(c => c?.Name is not null).ToList() ?? [];
        var name = context ?? NullIfEmpty(config.CurrentContext) ?? throw new KubeConfigException(
            "The kubeconfig sets no current-context; choose a context explicitly.");
        // kubectl matches names exactly; the client ignores case, so check here to keep kubectl's meaning.
        var selected = contexts.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        if (selected is null)
        {
            var known = contexts.Count == 0 ? "none" : string.Join(", ", contexts.Select(c => c.Name).Order(StringComparer.Ordinal));
            throw new KubeConfigException($"Context '{name}' is not in the kubeconfig (contexts: {known}).");
        }
        var clusterName = selected.ContextDetails?.Cluster;
        if (string.IsNullOrEmpty(clusterName) || config.Clusters?.Any(c => c?.Name == clusterName) != true)
        {
            throw new KubeConfigException($"Context '{name}' refers to cluster '{clusterName}', which is not defined.");
        }
        var userName = NullIfEmpty(selected.ContextDetails?.User);
        var user = userName is null ? null : config.Users?.FirstOrDefault(u => u?.Name == userName);
        if (userName is not null && user is null)
        {
            throw new KubeConfigException($"Context '{name}' refers to user '{userName}', which is not defined.");
        }
        var tokenFile = userName is not null && tokenFiles.TryGetValue(userName, out var file) ? file : null;
        var credentials = user?.UserCredentials;
        CheckUser(userName, credentials, tokenFile);

        var hasOtherCredentials = credentials is not null && (
            !string.IsNullOrEmpty(credentials.Token) || credentials.ExternalExecution is not null ||
            credentials.AuthProvider is not null || HasClientCertificate(credentials));
        if (tokenFile is not null && !hasOtherCredentials && selected.ContextDetails is { } details)
        {
            // The client knows no tokenFile and would reject a user with nothing else; we add the token ourselves.
            details.User = null;
        }

        KubernetesClientConfiguration client;
        try
        {
            client = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, name);
        }
        catch (ClientConfigException e)
        {
            throw new KubeConfigException($"Context '{name}': {e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or IOException)
        {
            throw new KubeConfigException($"Context '{name}' has invalid credentials or certificates: {e.Message}", e);
        }
        return ToConnection(client, clusterName, userName, tokenFile, credentials?.ExternalExecution);
    }

    /// <summary>
    /// Reads each file into the client's model and merges them the way kubectl does: the first file to define a name or
    /// the current context wins. Relative paths are made absolute per file first, because the client's own merge
    /// resolves them all against the first file.
    /// </summary>
    private static K8SConfiguration Read(IReadOnlyList<string> paths, Dictionary<string, string> texts)
    {
        var merged = new K8SConfiguration { Contexts = [], Clusters = [], Users = [] };
        foreach (var path in paths)
        {
            var file = KubeconfigYaml.Parse(path, texts[path]);
            if (file is null)
            {
                continue;   // an empty file is legal and contributes nothing
            }
            MakePathsAbsolute(file, Path.GetDirectoryName(path) ?? ".");
            merged.CurrentContext = NullIfEmpty(merged.CurrentContext) ?? file.CurrentContext;
            merged.Contexts = FirstWins(merged.Contexts, file.Contexts, c => c.Name);
            merged.Clusters = FirstWins(merged.Clusters, file.Clusters, c => c.Name);
            merged.Users = FirstWins(merged.Users, file.Users, u => u.Name);
        }
        return merged;
    }

    private static void MakePathsAbsolute(K8SConfiguration file, string directory)
    {
        foreach (var cluster in file.Clusters ?? [])
        {
            if (cluster?.ClusterEndpoint is { CertificateAuthority: { Length: > 0 } ca } endpoint)
            {
                endpoint.CertificateAuthority = Path.GetFullPath(ca, directory);
            }
        }
        foreach (var user in file.Users ?? [])
        {
            if (user?.UserCredentials is not { } credentials)
            {
                continue;
            }
            if (!string.IsNullOrEmpty(credentials.ClientCertificate))
            {
                credentials.ClientCertificate = Path.GetFullPath(credentials.ClientCertificate, directory);
            }
            if (!string.IsNullOrEmpty(credentials.ClientKey))
            {
                credentials.ClientKey = Path.GetFullPath(credentials.ClientKey, directory);
            }
        }
    }

    private static List<T> FirstWins<T>(IEnumerable<T>? first, IEnumerable<T>? second, Func<T, string?> name)
    {
        var merged = (first ?? []).ToList();
        var names = new HashSet<string>(merged.Select(name).OfType<string>(), StringComparer.Ordinal);
        foreach (var item in second ?? [])
        {
            if (item is not null && name(item) is { } itemName && names.Add(itemName))
            {
                merged.Add(item);
            }
        }
        return merged;
    }

    private static void CheckUser(string? userName, UserCredentials? credentials, string? tokenFile)
    {
        if (credentials is null)
        {
            return;
        }
        if (credentials.AuthProvider is { Name: not "oidc" } provider)
        {
            // The client refuses these too (GKE and AKS moved to exec plugins), but with a bare Exception.
            throw new KubeConfigException(
                $"User '{userName}' uses the '{provider.Name}' auth-provider, which is not supported; use the provider's exec credential plugin.");
        }
        if (!string.IsNullOrEmpty(credentials.UserName) || !string.IsNullOrEmpty(credentials.Password))
        {
            // Basic authentication was removed from Kubernetes in 1.19.
            throw new KubeConfigException(
                $"User '{userName}' authenticates with a username and password, which is not supported; use a token, a token file, an exec plugin or a client certificate.");
        }
        var certificate = !string.IsNullOrEmpty(credentials.ClientCertificateData) || !string.IsNullOrEmpty(credentials.ClientCertificate);
        var key = !string.IsNullOrEmpty(credentials.ClientKeyData) || !string.IsNullOrEmpty(credentials.ClientKey);
        if (certificate != key)
        {
            throw new KubeConfigException($"User '{userName}' needs both a client certificate and a client key.");
        }
        if (tokenFile is not null && !File.Exists(tokenFile))
        {
            throw new KubeConfigException($"tokenFile of user '{userName}' names {tokenFile}, which does not exist.");
        }
    }

    private static bool HasClientCertificate(UserCredentials credentials) =>
        !string.IsNullOrEmpty(credentials.ClientCertificateData) || !string.IsNullOrEmpty(credentials.ClientCertificate);

    private static KubeConnection ToConnection(KubernetesClientConfiguration client, string clusterName, string? userName, string? tokenFile, ExternalExecution? exec)
    {
        if (!Uri.TryCreate(client.Host, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            throw new KubeConfigException($"Cluster '{clusterName}' needs an http(s) server address, not '{client.Host}'.");
        }
        if (!server.AbsolutePath.EndsWith('/'))
        {
            server = new Uri(server.AbsoluteUri + "/");
        }
        var authorities = client.SslCaCerts is { Count: > 0 } cas ? cas : null;
        if (client.SkipTlsVerify && authorities is not null)
        {
            // kubectl refuses this combination too: it is almost always a mistake.
            throw new KubeConfigException(
                $"Cluster '{clusterName}' sets both insecure-skip-tls-verify and a certificate authority; choose one.");
        }

        X509Certificate2? certificate;
        try
        {
            certificate = ClientCertificate(client);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or IOException or ClientConfigException)
        {
            throw new KubeConfigException($"The client certificate or key of user '{userName}' is invalid: {e.Message}", e);
        }

        // With an exec plugin the client hands over a provider that re-runs it before the credential expires.
        var provider = client.TokenProvider;
        return new KubeConnection
        {
            Server = server,
            InsecureSkipTlsVerify = client.SkipTlsVerify,
            CertificateAuthorities = authorities,
            TlsServerName = NullIfEmpty(client.TlsServerName),
            Namespace = NullIfEmpty(client.Namespace) ?? "default",
            Token = provider is null ? NullIfEmpty(client.AccessToken) : null,
            TokenProvider = provider,
            RenewTokenProvider = provider is ExecTokenProvider && exec is not null ? () => new ExecTokenProvider(exec) : null,
            TokenFile = provider is null && string.IsNullOrEmpty(client.AccessToken) ? tokenFile : null,
            ClientCertificate = certificate,
        };
    }

    /// <summary>The client certificate from inline data, files, or an exec plugin's output (which the client stores as data).</summary>
    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration client)
    {
        var certificate = Pem(client.ClientCertificateData, client.ClientCertificateFilePath);
        var key = Pem(client.ClientCertificateKeyData, client.ClientKeyFilePath);
        // Accepts PKCS#1 RSA, SEC1 EC and PKCS#8 keys, matched to the certificate's algorithm.
        return certificate is null || key is null ? null : X509Certificate2.CreateFromPem(certificate, key);
    }

    private static string? Pem(string? base64, string? file) =>
        !string.IsNullOrEmpty(base64) ? Encoding.UTF8.GetString(Convert.FromBase64String(base64))
        : !string.IsNullOrEmpty(file) ? File.ReadAllText(file)
        : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

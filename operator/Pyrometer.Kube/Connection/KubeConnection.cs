using System.Security.Cryptography.X509Certificates;
using k8s.Authentication;

namespace Pyrometer.Kube.Connection;

/// <summary>Where the API server is and how to authenticate to it.</summary>
public sealed class KubeConnection
{
    /// <summary>Where a pod's service-account credentials are mounted.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The API server's base address, e.g. <c>https://10.96.0.1:443/</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>
    /// The CAs the server's certificate must chain to. When set, only these are trusted (not the
    /// system store); when null, the system store is used.
    /// </summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>Accept any server certificate. For local test clusters only.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>A client certificate with its private key, for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The server name to expect in its certificate (and to send as SNI) when it differs from the address's host;
    /// a kubeconfig's <c>tls-server-name</c>.
    /// </summary>
    public string? TlsServerName { get; init; }

    /// <summary>
    /// A source of bearer tokens that renews them itself, such as a kubeconfig's <c>exec</c> credential plugin
    /// (re-run shortly before the credential it printed expires). Takes precedence over <see cref="Token"/>.
    /// </summary>
    public ITokenProvider? TokenProvider { get; init; }

    /// <summary>
    /// Makes a fresh <see cref="TokenProvider"/> when the server refuses its token before the stated expiry (revoked,
    /// or the clocks disagree): a new exec provider runs the plugin again on its first use, as kubectl does after a 401.
    /// </summary>
    public Func<ITokenProvider>? RenewTokenProvider { get; init; }

    /// <summary>A fixed bearer token.</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the bearer token, re-read every <see cref="TokenRefreshInterval"/> because it rotates.</summary>
    public string? TokenFile { get; init; }

    /// <summary>How often <see cref="TokenFile"/> is re-read.</summary>
    public TimeSpan TokenRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The default namespace: the pod's own in-cluster, the context's in a kubeconfig.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>True when the process runs in a pod with a service-account token mounted.</summary>
    public static bool IsInCluster =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")) &&
        File.Exists(Path.Combine(ServiceAccountDirectory, "token"));

    /// <summary>Settings from the pod's service account and the <c>KUBERNETES_SERVICE_*</c> variables.</summary>
    /// <exception cref="KubeConfigException">Not running in a pod, or the mount is incomplete.</exception>
    public static KubeConnection InCluster() =>
        InClusterConfig.Load(ServiceAccountDirectory, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Settings from the kubeconfig files named by <c>KUBECONFIG</c> (merged, first wins), or
    /// <c>~/.kube/config</c> when it is unset.
    /// </summary>
    /// <param name="context">The context to use; the current context when null.</param>
    /// <exception cref="KubeConfigException">No file, no such context, or an invalid entry.</exception>
    public static KubeConnection FromKubeconfig(string? context = null) =>
        KubeconfigLoader.Load(
            KubeconfigLoader.DefaultPaths(
                Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)),
            context);

    /// <summary>Settings from one kubeconfig file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="context">The context to use; the current context when null.</param>
    /// <exception cref="KubeConfigException">The file is missing, has no such context, or has an invalid entry.</exception>
    public static KubeConnection FromKubeconfigFile(string path, string? context = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return KubeconfigLoader.Load([path], context);
    }

    /// <summary>In-cluster settings inside a pod, the kubeconfig otherwise.</summary>
    /// <exception cref="KubeConfigException">Neither is usable.</exception>
    public static KubeConnection Discover() => IsInCluster ? InCluster() : FromKubeconfig();
}

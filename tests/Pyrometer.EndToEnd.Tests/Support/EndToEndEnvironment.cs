namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>What hack/e2e.sh prepared: the cluster, the operator's build and credentials, the S3 server.</summary>
internal sealed record EndToEndEnvironment(
    string StateDirectory,
    string Namespace,
    string OperatorDll,
    string OperatorKubeconfig,
    string NodeAddress,
    int OperatorPort,
    int UploadPort,
    Uri S3Endpoint,
    string S3Bucket,
    string S3AccessKey,
    string S3SecretKey)
{
    public const string SkipReason = "end-to-end: run by `make e2e` (hack/e2e.sh), which brings up a cluster and sets PYROMETER_E2E=1";

    public static bool Enabled => Environment.GetEnvironmentVariable("PYROMETER_E2E") == "1";

    public static EndToEndEnvironment FromVariables() => new(
        Required("PYROMETER_E2E_STATE"),
        Required("PYROMETER_E2E_NAMESPACE"),
        Required("PYROMETER_E2E_OPERATOR"),
        Required("PYROMETER_E2E_OPERATOR_KUBECONFIG"),
        Required("PYROMETER_E2E_NODE_ADDRESS"),
        int.Parse(Required("PYROMETER_E2E_OPERATOR_PORT"), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(Required("PYROMETER_E2E_UPLOAD_PORT"), System.Globalization.CultureInfo.InvariantCulture),
        new Uri(Required("PYROMETER_E2E_S3_ENDPOINT")),
        Required("PYROMETER_E2E_S3_BUCKET"),
        Required("PYROMETER_E2E_S3_ACCESS_KEY"),
        Required("PYROMETER_E2E_S3_SECRET_KEY"));

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the end-to-end suite through hack/e2e.sh");
}

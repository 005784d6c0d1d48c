using Pyrometer.Chart.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Pyrometer.Chart.Tests.Templates;

/// <summary>The operator's NetworkPolicy: uploads from every pod in the cluster, reads only from the release's namespace and listed peers.</summary>
public sealed class NetworkPolicyTests
{
    [GoFact]
    public void Render_Defaults_UploadPortFromEveryNamespaceReadPortFromTheOwnNamespaceOnly()
    {
        var policy = ChartRenderer.Render().Single("NetworkPolicy", "pyrometer-operator");
        var rules = policy.Items("spec.ingress").ToList();

        Assert.Equal(["Ingress"], policy.Strings("spec.policyTypes"));
        Assert.Equal("operator", ((YamlMappingNode)policy.At("spec.podSelector.matchLabels")!).Children[new YamlScalarNode("app.kubernetes.io/component")].ToString());
        var read = rules.Single(r => Ports(r) == "http");
        var upload = rules.Single(r => Ports(r) == "upload");
        Assert.Equal(["{podSelector:{}}"], read.Items("from").Select(ChartTemplateTests.Canonical));
        Assert.Equal(["{namespaceSelector:{}}"], upload.Items("from").Select(ChartTemplateTests.Canonical));
    }

    [GoFact]
    public void Render_ReadFrom_AddsThePeersToTheReadPortOnly()
    {
        var policy = ChartRenderer.Render(valueFiles: TestPaths.Asset("values-builtin-full.yaml")).Single("NetworkPolicy", "pyrometer-operator");
        var rules = policy.Items("spec.ingress").ToList();

        var read = rules.Single(r => Ports(r) == "http").Items("from").Select(ChartTemplateTests.Canonical).ToList();
        Assert.Equal(3, read.Count);
        Assert.Contains(read, p => p.Contains("ingress-nginx", StringComparison.Ordinal));
        Assert.Contains(read, p => p.Contains("10.0.0.0/8", StringComparison.Ordinal));
        Assert.Equal(["{namespaceSelector:{}}"], rules.Single(r => Ports(r) == "upload").Items("from").Select(ChartTemplateTests.Canonical));
    }

    [GoFact]
    public void Render_S3_HasNoUploadPortAnywhere()
    {
        var documents = ChartRenderer.Render(valueFiles: TestPaths.Asset("values-s3-full.yaml"));

        Assert.Equal(["http"], documents.Single("NetworkPolicy", "pyrometer-operator").Items("spec.ingress").Select(Ports));
        Assert.Equal(["http"], documents.Single("Service", "pyrometer-operator").Items("spec.ports").Select(p => p.Text("name")));
        Assert.Equal(["http"], documents.OperatorContainer().Items("ports").Select(p => p.Text("name")));
        Assert.Equal("8080", documents.OperatorContainer().Environment()["ASPNETCORE_HTTP_PORTS"]);
    }

    [GoFact]
    public void Render_Disabled_LeavesThePolicyOut()
    {
        var values = ChartTemplateTests.WriteValues("networkPolicy:\n  enabled: false\n  readFrom: []\n");

        Assert.DoesNotContain(ChartRenderer.Render(valueFiles: values), d => d.Kind() == "NetworkPolicy");
    }

    private static string Ports(YamlNode rule) => string.Join(",", rule.Items("ports").Select(p => p.Text("port")));
}

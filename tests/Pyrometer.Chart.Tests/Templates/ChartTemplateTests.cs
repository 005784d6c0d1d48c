using System.Diagnostics;
using Pyrometer.Chart.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Pyrometer.Chart.Tests.Templates;

public sealed class ChartTemplateTests
{
    public static TheoryData<string> ValueCases => new() { "", "values-s3-full.yaml", "values-builtin-full.yaml" };

    [GoTheory]
    [MemberData(nameof(ValueCases))]
    public void Render_AnyValues_EveryDocumentHasApiVersionKindAndName(string valuesFile)
    {
        var documents = ChartRenderer.Render(valueFiles: valuesFile.Length == 0 ? [] : [TestPaths.Asset(valuesFile)]);

        Assert.True(documents.Count >= 10, $"only {documents.Count} documents rendered");
        foreach (var document in documents)
        {
            Assert.False(string.IsNullOrEmpty(document.Text("apiVersion")), "a document has no apiVersion");
            Assert.False(string.IsNullOrEmpty(document.Kind()), "a document has no kind");
            Assert.False(string.IsNullOrEmpty(document.Name()), $"a {document.Kind()} has no metadata.name");
        }
        // Unique per kind and namespace: a Role per allowed namespace shares one name.
        Assert.Equal(documents.Count, documents.Select(d => d.Kind() + "/" + d.Text("metadata.namespace") + "/" + d.Name()).Distinct().Count());
    }

    [GoFact]
    public void Render_Defaults_OperatorPodIsLockedDown()
    {
        var deployment = ChartRenderer.Render().Single("Deployment", "pyrometer-operator");
        var pod = deployment.At("spec.template.spec")!;
        var container = (YamlMappingNode)pod.Items("containers").Single();

        Assert.Equal("true", pod.Text("securityContext.runAsNonRoot"));
        Assert.True(long.Parse(pod.Text("securityContext.runAsUser")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("RuntimeDefault", pod.Text("securityContext.seccompProfile.type"));
        Assert.Equal("true", container.Text("securityContext.readOnlyRootFilesystem"));
        Assert.Equal("false", container.Text("securityContext.allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], container.Strings("securityContext.capabilities.drop"));
        Assert.Null(container.At("securityContext.capabilities.add"));
        Assert.NotNull(container.At("resources.requests.cpu"));
        Assert.NotNull(container.At("resources.limits.memory"));
    }

    [GoFact]
    public void Render_Defaults_ProbesAndServiceUseTheOperatorsPort()
    {
        var documents = ChartRenderer.Render();
        var container = documents.OperatorContainer();
        var ports = container.Items("ports").ToDictionary(p => p.Text("name")!, p => p.Text("containerPort"));

        Assert.Equal(new Dictionary<string, string?> { ["http"] = "8080", ["upload"] = "8081" }, ports);
        Assert.Equal("8080;8081", container.Environment()["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("8081", container.Environment()["Storage__BuiltIn__UploadPort"]);
        Assert.Equal("/healthz", container.Text("livenessProbe.httpGet.path"));
        Assert.Equal("/readyz", container.Text("readinessProbe.httpGet.path"));
        Assert.Equal("http", container.Text("readinessProbe.httpGet.port"));
        Assert.Equal("http", container.Text("livenessProbe.httpGet.port"));
        Assert.Equal("http", container.Text("startupProbe.httpGet.port"));
        var service = documents.Single("Service", "pyrometer-operator");
        Assert.Equal(["http:8080>http", "upload:8081>upload"], service.Items("spec.ports").Select(p => $"{p.Text("name")}:{p.Text("port")}>{p.Text("targetPort")}"));
        Assert.Equal("operator", ((YamlMappingNode)service.At("spec.selector")!).Children[new YamlScalarNode("app.kubernetes.io/component")].ToString());
    }

    [GoFact]
    public void Render_Defaults_OperatorRunsWithTheGcSettingsItsMemoryWasMeasuredWith()
    {
        var environment = ChartRenderer.Render().OperatorContainer().Environment();

        Assert.Equal("0", environment["DOTNET_gcServer"]);
        Assert.Equal("0x200000", environment["DOTNET_GCgen0size"]);
        // The local runs (make bench-cluster, make demo) start the operator with the same budget.
        Assert.Contains("DOTNET_GCgen0size=0x200000", File.ReadAllText(TestPaths.InRepository(Path.Combine("hack", "lib", "local-deploy.sh"))), StringComparison.Ordinal);
    }

    [GoFact]
    public void Render_Defaults_TmpIsAWritableEmptyDir()
    {
        var documents = ChartRenderer.Render();
        var pod = documents.Single("Deployment", "pyrometer-operator").At("spec.template.spec")!;
        var container = documents.OperatorContainer();

        var tmp = container.Items("volumeMounts").Single(m => m.Text("mountPath") == "/tmp");
        Assert.NotEqual("true", tmp.Text("readOnly"));
        Assert.NotNull(pod.Items("volumes").Single(v => v.Text("name") == tmp.Text("name")).At("emptyDir"));
    }

    [GoFact]
    public void Render_BuiltInWithoutPersistence_UsesEmptyDirAndNotesWarnFirst()
    {
        var documents = ChartRenderer.Render();
        var pod = documents.Single("Deployment", "pyrometer-operator").At("spec.template.spec")!;
        var notes = ChartRenderer.Notes().TrimStart();

        Assert.NotNull(pod.Items("volumes").Single(v => v.Text("name") == "artifacts").At("emptyDir"));
        Assert.DoesNotContain(documents, d => d.Kind() == "PersistentVolumeClaim");
        Assert.StartsWith("WARNING: profiles are kept in an emptyDir", notes, StringComparison.Ordinal);
        Assert.Equal("http://pyrometer-operator.pyrometer.svc:8081", documents.OperatorContainer().Environment()["Storage__BuiltIn__BaseUrl"]);
        Assert.Equal("http://pyrometer-operator.pyrometer.svc:8080", documents.OperatorContainer().Environment()["Storage__BuiltIn__PublicUrl"]);
    }

    [GoFact]
    public void Notes_Defaults_WarningsThenOneVersionLineThenFirstRequest()
    {
        var lines = ChartRenderer.Notes().Split('\n');

        var success = Array.FindIndex(lines, l => l.StartsWith("Pyrometer 0.1.0 is installed", StringComparison.Ordinal));
        Assert.True(success > 0, "no success line with the version");
        Assert.Single(lines, l => l.Contains("is installed", StringComparison.Ordinal));
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("WARNING", StringComparison.Ordinal)) < success, "a warning follows the success line");
        Assert.Contains(lines, l => l.Contains("SYS_PTRACE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("pod-security.kubernetes.io/enforce=privileged", StringComparison.Ordinal));
        Assert.True(Array.FindIndex(lines, l => l.Contains("kind: ProfileRequest", StringComparison.Ordinal)) > success);
        Assert.Contains(lines, l => l.Contains("kubectl get profilerequests", StringComparison.Ordinal));
    }

    [GoFact]
    public void Notes_PodSecurity_NarrowChoicesBeforeLabellingTheNamespace()
    {
        var notes = ChartRenderer.Notes();

        var staging = notes.IndexOf("dedicated staging namespace", StringComparison.Ordinal);
        var exemption = notes.IndexOf("exemptions.usernames", StringComparison.Ordinal);
        var label = notes.IndexOf("kubectl label namespace", StringComparison.Ordinal);
        Assert.True(staging > 0 && staging < exemption && exemption < label, "the namespace label comes before a narrower choice");
        Assert.Contains("\n       system:serviceaccount:pyrometer:pyrometer-operator\n", notes, StringComparison.Ordinal);
        Assert.Contains("AdmissionConfiguration", notes, StringComparison.Ordinal);
    }

    [GoFact]
    public void Notes_ExistingServiceAccount_NamesItsUsernameForTheExemption()
    {
        var values = WriteValues("serviceAccount:\n  create: false\n  name: profiler\n");

        Assert.Contains("system:serviceaccount:pyrometer:profiler", ChartRenderer.Notes(values), StringComparison.Ordinal);
    }

    [GoFact]
    public void Notes_PersistentStore_HasNoEmptyDirWarning()
    {
        var notes = ChartRenderer.Notes(TestPaths.Asset("values-builtin-full.yaml"));

        Assert.DoesNotContain("emptyDir", notes, StringComparison.Ordinal);
    }

    [GoFact]
    public void Render_PersistentStore_CreatesAClaimThatSurvivesUninstall()
    {
        var documents = ChartRenderer.Render(valueFiles: TestPaths.Asset("values-builtin-full.yaml"));
        var claim = documents.Single("PersistentVolumeClaim", "pyrometer-operator-artifacts");
        var pod = documents.Single("Deployment", "pyrometer-operator").At("spec.template.spec")!;
        var environment = documents.OperatorContainer().Environment();

        Assert.Equal("20Gi", claim.Text("spec.resources.requests.storage"));
        Assert.Equal("fast", claim.Text("spec.storageClassName"));
        Assert.Equal(claim.Name(), pod.Items("volumes").Single(v => v.Text("name") == "artifacts").Text("persistentVolumeClaim.claimName"));
        // 268435456 must not come out as 2.68435456e+08, which Helm prints for large numbers without int64.
        Assert.Equal("268435456", environment["Storage__BuiltIn__MaxUploadBytes"]);
        Assert.Equal("(secret pyrometer-signing/signingKey)", environment["Storage__BuiltIn__SigningKey"]);
    }

    [GoFact]
    public void Render_S3_MountsTheCredentialsSecretAsFiles()
    {
        var documents = ChartRenderer.Render(valueFiles: TestPaths.Asset("values-s3-full.yaml"));
        var pod = documents.Single("Deployment", "pyrometer-operator").At("spec.template.spec")!;
        var container = documents.OperatorContainer();
        var environment = container.Environment();

        var mount = container.Items("volumeMounts").Single(m => m.Text("name") == "s3-credentials");
        Assert.Equal("true", mount.Text("readOnly"));
        Assert.Equal("minio-credentials", pod.Items("volumes").Single(v => v.Text("name") == "s3-credentials").Text("secret.secretName"));
        Assert.Equal(mount.Text("mountPath") + "/accessKeyId", environment["Storage__S3__AccessKeyIdFile"]);
        Assert.Equal("true", environment["Storage__S3__ForcePathStyle"]);
        Assert.Equal("0", environment["Operator__DefaultTtlSecondsAfterFinished"]);
        Assert.Equal("0", environment["Kubernetes__MaxRetries"]);
        Assert.DoesNotContain(pod.Items("volumes"), v => v.Text("name") == "artifacts");
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("Storage__BuiltIn__", StringComparison.Ordinal));
    }

    [GoFact]
    public void Render_CrdsDisabled_LeavesTheCrdOut()
    {
        var values = WriteValues("crds:\n  enabled: false\n  keep: true\n");

        Assert.DoesNotContain(ChartRenderer.Render(valueFiles: values), d => d.Kind() == "CustomResourceDefinition");
    }

    [GoTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Render_CrdsKeep_AnnotatesResourcePolicyOnlyWhenSet(bool keep)
    {
        var values = WriteValues($"crds:\n  enabled: true\n  keep: {(keep ? "true" : "false")}\n");

        var crd = ChartRenderer.Render(valueFiles: values).Single("CustomResourceDefinition", "profilerequests.pyrometer.dev");

        Assert.Equal(keep ? "keep" : null, crd.At("metadata.annotations") is YamlMappingNode annotations
            && annotations.Children.TryGetValue(new YamlScalarNode("helm.sh/resource-policy"), out var policy) ? policy.ToString() : null);
    }

    [GoFact]
    public void Render_Defaults_CrdEqualsTheSourceOfTruth()
    {
        var rendered = ChartRenderer.Render().Single("CustomResourceDefinition", "profilerequests.pyrometer.dev");
        var source = new YamlStream();
        source.Load(new StringReader(File.ReadAllText(TestPaths.InRepository("crds/pyrometer.dev_profilerequests.yaml"))));

        var metadata = (YamlMappingNode)rendered.At("metadata")!;
        metadata.Children.Remove(new YamlScalarNode("annotations"));
        Assert.Equal(Canonical(source.Documents.Single().RootNode), Canonical(rendered));
    }

    [Fact]
    public void SyncChartCrds_Check_ReportsNoDrift()
    {
        var start = new ProcessStartInfo("bash", [TestPaths.InRepository("hack/sync-chart-crds.sh"), "--check"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0, "hack/sync-chart-crds.sh --check: " + stderr);
    }

    [Fact]
    public void Templates_FileNames_AreComponentDashKind()
    {
        var kinds = new[] { "deployment", "serviceaccount", "clusterrole", "clusterrolebinding", "role", "rolebinding", "service", "persistentvolumeclaim", "customresourcedefinition", "networkpolicy" };
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.Chart, "templates")).Select(Path.GetFileName))
        {
            if (file is "NOTES.txt" or "_helpers.tpl")
            {
                continue;
            }
            Assert.Contains(kinds, kind => file!.EndsWith("-" + kind + ".yaml", StringComparison.Ordinal));
        }
    }

    internal static string Canonical(YamlNode node) => node switch
    {
        YamlMappingNode map => "{" + string.Join(",", map.Children.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal)
            .Select(c => c.Key + ":" + Canonical(c.Value))) + "}",
        YamlSequenceNode list => "[" + string.Join(",", list.Children.Select(Canonical)) + "]",
        YamlScalarNode scalar => System.Text.Json.JsonSerializer.Serialize(scalar.Value),
        _ => throw new InvalidOperationException("unexpected node " + node.NodeType),
    };

    internal static string WriteValues(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pyrometer-values-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}

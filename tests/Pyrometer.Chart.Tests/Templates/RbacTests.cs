using Pyrometer.Chart.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Pyrometer.Chart.Tests.Templates;

public sealed class RbacTests
{
    [GoFact]
    public void Render_OperatorRoles_GrantExactlyTheLeastPrivilegeSet()
    {
        var rendered = ChartRenderer.Render();
        var expected = LoadAsset();

        foreach (var kind in new[] { "ClusterRole", "Role" })
        {
            var want = expected.Single(d => d.Kind() == kind);
            var got = rendered.Single(kind, want.Name());
            Assert.Equal(Grants(want), Grants(got));
        }
    }

    [GoFact]
    public void Render_OperatorServiceAccount_IsBoundOnlyToItsTwoRoles()
    {
        var rendered = ChartRenderer.Render();

        var bindings = rendered.Where(d => d.Kind() is "ClusterRoleBinding" or "RoleBinding")
            .Where(b => b.Items("subjects").Any(s => s.Text("kind") == "ServiceAccount" && s.Text("name") == "pyrometer-operator"))
            .Select(b => b.Kind() + ">" + b.Text("roleRef.kind") + "/" + b.Text("roleRef.name"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["ClusterRoleBinding>ClusterRole/pyrometer-operator", "RoleBinding>Role/pyrometer-operator-leader-election"], bindings);
        var expectedBindings = LoadAsset().Where(d => d.Kind().EndsWith("Binding", StringComparison.Ordinal));
        foreach (var binding in expectedBindings)
        {
            Assert.Equal(ChartTemplateTests.Canonical(binding.At("subjects")!), ChartTemplateTests.Canonical(rendered.Single(binding.Kind(), binding.Name()).At("subjects")!));
        }
    }

    [GoFact]
    public void Render_AllowedNamespaces_GrantsTheOperatorRightsOnlyThroughARolePerNamespace()
    {
        var values = ChartTemplateTests.WriteValues("allowedNamespaces: [shop, search]\n");

        var rendered = ChartRenderer.Render(release: "prof", ns: "tools", valueFiles: values);

        var want = Grants(LoadAsset().Single(d => d.Kind() == "ClusterRole"));
        foreach (var ns in new[] { "shop", "search" })
        {
            var role = rendered.Single(d => d.Kind() == "Role" && d.Text("metadata.namespace") == ns);
            var binding = rendered.Single(d => d.Kind() == "RoleBinding" && d.Text("metadata.namespace") == ns);
            Assert.Equal("prof-operator", role.Name());
            Assert.Equal(want, Grants(role));
            Assert.Equal("Role/prof-operator", binding.Text("roleRef.kind") + "/" + binding.Text("roleRef.name"));
            Assert.Equal(["ServiceAccount prof-operator tools"], binding.Items("subjects").Select(s => $"{s.Text("kind")} {s.Text("name")} {s.Text("namespace")}"));
        }
        Assert.DoesNotContain(rendered, d => d.Kind() == "ClusterRoleBinding");
        // What remains cluster-wide is only the aggregated roles for users (create/view requests), never the operator's rights.
        var clusterGrants = rendered.Where(d => d.Kind() == "ClusterRole").SelectMany(Grants).ToList();
        Assert.DoesNotContain(clusterGrants, g => g.StartsWith(" pods", StringComparison.Ordinal) || g.StartsWith(" events", StringComparison.Ordinal));
        Assert.DoesNotContain(clusterGrants, g => g.EndsWith(" patch", StringComparison.Ordinal) || g.EndsWith(" update", StringComparison.Ordinal));
        Assert.Equal(["prof-operator-leader-election", "prof-operator", "prof-operator"], rendered.Where(d => d.Kind() == "Role").Select(d => d.Name()).Order(StringComparer.Ordinal).Reverse());
    }

    [GoFact]
    public void Render_AnyRelease_LeaseRuleNamesTheLeaseTheOperatorUses()
    {
        var rendered = ChartRenderer.Render(release: "prof", ns: "tools");

        var role = rendered.Single("Role", "prof-operator-leader-election");
        var environment = rendered.OperatorContainer().Environment();
        Assert.Equal("tools", role.Text("metadata.namespace"));
        Assert.Equal([environment["LeaderElection__LeaseName"]], role.Items("rules").SelectMany(r => r.Strings("resourceNames")));
        Assert.Equal("tools", environment["LeaderElection__LeaseNamespace"]);
    }

    [GoFact]
    public void Render_AggregatedRoles_LetEditorsCreateAndViewersOnlyRead()
    {
        var rendered = ChartRenderer.Render();

        var edit = rendered.Single("ClusterRole", "pyrometer-operator-edit");
        var view = rendered.Single("ClusterRole", "pyrometer-operator-view");
        Assert.Equal("true", Label(edit, "rbac.authorization.k8s.io/aggregate-to-admin"));
        Assert.Equal("true", Label(edit, "rbac.authorization.k8s.io/aggregate-to-edit"));
        Assert.Null(Label(edit, "rbac.authorization.k8s.io/aggregate-to-view"));
        Assert.Equal("true", Label(view, "rbac.authorization.k8s.io/aggregate-to-view"));
        Assert.Contains("pyrometer.dev profilerequests  create", Grants(edit));
        Assert.Contains("pyrometer.dev profilerequests  list", Grants(edit));
        Assert.All(Grants(view), g => Assert.Matches(" (get|list|watch)$", g));
        Assert.DoesNotContain(Grants(edit), g => g.Contains("/status", StringComparison.Ordinal) || g.EndsWith(" update", StringComparison.Ordinal));
    }

    [GoFact]
    public void Render_AggregationOff_LeavesTheAggregatedRolesOut()
    {
        var values = ChartTemplateTests.WriteValues("rbac:\n  aggregateToDefaultRoles: false\n");

        Assert.DoesNotContain(ChartRenderer.Render(valueFiles: values), d => d.Kind() == "ClusterRole" && d.Name() != "pyrometer-operator");
    }

    [GoFact]
    public void Render_AnyRole_HasNoWildcards()
    {
        foreach (var role in ChartRenderer.Render(valueFiles: TestPaths.Asset("values-s3-full.yaml")).Where(d => d.Kind() is "ClusterRole" or "Role"))
        {
            Assert.DoesNotContain(Grants(role), g => g.Contains('*', StringComparison.Ordinal));
        }
    }

    /// <summary>Each rule expanded to "group resource resourceName verb" lines, sorted: order and grouping do not matter, grants do.</summary>
    private static List<string> Grants(YamlNode role) =>
        role.Items("rules").SelectMany(rule =>
                from g in rule.Strings("apiGroups")
                from r in rule.Strings("resources")
                from n in rule.Strings("resourceNames").DefaultIfEmpty("")
                from v in rule.Strings("verbs")
                select $"{g} {r} {n} {v}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string? Label(YamlNode document, string key) =>
        document.At("metadata.labels") is YamlMappingNode labels && labels.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value.ToString() : null;

    private static List<YamlMappingNode> LoadAsset()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(TestPaths.Asset("least-privilege-rbac.yaml"))));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }
}

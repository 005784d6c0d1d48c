using Pyrometer.Chart.Tests.Support;

namespace Pyrometer.Chart.Tests.Templates;

/// <summary>The viewer is off by default; turning it on sets the option and grants exactly the two review verbs.</summary>
public sealed class ViewerTemplateTests
{
    [GoFact]
    public void Render_Defaults_ViewerOffAndNoReviewRights()
    {
        var documents = ChartRenderer.Render();

        Assert.Equal("false", documents.OperatorContainer().Environment()["Storage__Viewer__Enabled"]);
        Assert.Equal("https://www.speedscope.app/", documents.OperatorContainer().Environment()["Storage__Viewer__SpeedscopeUrl"]);
        Assert.False(documents.OperatorContainer().Environment().ContainsKey("Storage__Viewer__MaxCompareProfileBytes"));
        Assert.DoesNotContain(documents, d => d.Kind() is "ClusterRole" or "Role" && d.Items("rules").Any(r => r.Strings("resources").Any(x => x.EndsWith("reviews", StringComparison.Ordinal))));
        Assert.DoesNotContain(ChartRenderer.Notes(), "then open http://localhost:8080/", StringComparison.Ordinal);
    }

    [GoFact]
    public void Render_ViewerEnabled_GrantsCreateOnTheTwoReviewsToTheOperatorOnly()
    {
        var documents = ChartRenderer.Render(valueFiles: TestPaths.Asset("values-builtin-full.yaml"));
        var role = documents.Single("ClusterRole", "pyrometer-operator-viewer-auth");
        var binding = documents.Single("ClusterRoleBinding", "pyrometer-operator-viewer-auth");

        var grants = role.Items("rules").SelectMany(r =>
            from g in r.Strings("apiGroups") from x in r.Strings("resources") from v in r.Strings("verbs") select $"{g} {x} {v}").Order(StringComparer.Ordinal);
        Assert.Equal(["authentication.k8s.io tokenreviews create", "authorization.k8s.io subjectaccessreviews create"], grants);
        Assert.Equal("pyrometer-operator-viewer-auth", binding.Text("roleRef.name"));
        Assert.Equal(["ServiceAccount pyrometer/pyrometer-operator"], binding.Items("subjects").Select(s => $"{s.Text("kind")} {s.Text("namespace")}/{s.Text("name")}"));
        Assert.Equal("true", documents.OperatorContainer().Environment()["Storage__Viewer__Enabled"]);
        Assert.Equal("https://speedscope.tools.example.com/", documents.OperatorContainer().Environment()["Storage__Viewer__SpeedscopeUrl"]);
        Assert.Equal("33554432", documents.OperatorContainer().Environment()["Storage__Viewer__MaxCompareProfileBytes"]);
        Assert.Contains("then open http://localhost:8080/", ChartRenderer.Notes(TestPaths.Asset("values-builtin-full.yaml")), StringComparison.Ordinal);
    }

    [GoFact]
    public void Notes_Defaults_SayLinksAreSignedAndHowToOpenThem()
    {
        var notes = ChartRenderer.Notes();

        Assert.Contains("signed link that expires", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl port-forward -n pyrometer svc/pyrometer-operator 8080:8080", notes, StringComparison.Ordinal);
    }
}

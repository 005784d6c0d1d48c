using System.Net;
using k8s.Autorest;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Tests.Kube;

public sealed class KubeErrorsTests
{
    [Fact]
    public void Explain_RouterNotFoundForProfileRequests_MeansTheCrdIsMissing()
    {
        var error = KubeErrors.Explain(Error(HttpStatusCode.NotFound, "404 page not found\n"), "get profilerequest x in namespace shop");

        Assert.Equal(KubeErrors.CrdMissing, error.Message);
    }

    [Fact]
    public void Explain_StatusNotFound_UsesTheGivenMessage()
    {
        var body = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}""";

        var error = KubeErrors.Explain(Error(HttpStatusCode.NotFound, body), "get pod x in namespace shop", "pod x not found in namespace shop");

        Assert.Equal("pod x not found in namespace shop", error.Message);
    }

    [Fact]
    public void Explain_Forbidden_QuotesTheServerOnOneLine()
    {
        var body = """{"kind":"Status","message":"pods \"x\" is forbidden: User \"dev\" cannot patch resource \"pods/ephemeralcontainers\"\nin the namespace \"shop\"","code":403}""";

        var error = KubeErrors.Explain(Error(HttpStatusCode.Forbidden, body), "add an ephemeral container to pod x");

        Assert.Equal(
            "forbidden: cannot add an ephemeral container to pod x: pods \"x\" is forbidden: User \"dev\" cannot patch resource \"pods/ephemeralcontainers\" in the namespace \"shop\" (ask for the RBAC rights, see docs/kubectl-plugin.md)",
            error.Message);
    }

    [Fact]
    public void Explain_OtherCodes_NameTheCode()
    {
        var error = KubeErrors.Explain(Error(HttpStatusCode.ServiceUnavailable, "etcd\u001b[2J down"), "create profilerequest r");

        Assert.Equal("cannot create profilerequest r: the API server answered 503: etcd [2J down", error.Message);
    }

    private static HttpOperationException Error(HttpStatusCode code, string body) => new("failed")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code), body),
    };
}

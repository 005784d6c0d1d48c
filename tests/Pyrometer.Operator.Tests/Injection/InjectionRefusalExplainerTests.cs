using System.Net;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Injection;

namespace Pyrometer.Operator.Tests.Injection;

public sealed class InjectionRefusalExplainerTests
{
    private static KubeApiException Error(HttpStatusCode code, string message) =>
        new(code, new V1Status { Message = message, Code = (int)code }, "PATCH", "/api/v1/namespaces/shop/pods/api-1/ephemeralcontainers");

    [Fact]
    public void Explain_PodSecurity_KeepsServerMessageAndExplainsExemption()
    {
        const string server = "pods \"api-1\" is forbidden: violates PodSecurity \"baseline:latest\": non-default capabilities (container \"pyrometer-3f9c2a\" must not include \"SYS_PTRACE\" in securityContext.capabilities.add)";

        var refusal = InjectionRefusalExplainer.Explain(Error(HttpStatusCode.Forbidden, server), "shop", "api-1")!;

        Assert.Equal(Conditions.EphemeralContainersForbidden, refusal.Reason);
        Assert.Contains(server, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("pod-security.kubernetes.io/enforce=privileged", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("baseline and restricted", refusal.Message, StringComparison.Ordinal);
        // The narrow choices come before the label that lifts Pod Security for the whole namespace.
        var exemption = refusal.Message.IndexOf("exemptions.usernames", StringComparison.Ordinal);
        Assert.InRange(exemption, 0, refusal.Message.IndexOf("enforce=privileged", StringComparison.Ordinal));
    }

    [Fact]
    public void Explain_Rbac_NamesTheMissingVerb()
    {
        const string server = "pods \"api-1\" is forbidden: User \"system:serviceaccount:pyrometer:operator\" cannot patch resource \"pods/ephemeralcontainers\"";

        var refusal = InjectionRefusalExplainer.Explain(Error(HttpStatusCode.Forbidden, server), "shop", "api-1")!;

        Assert.Equal(Conditions.EphemeralContainersForbidden, refusal.Reason);
        Assert.Contains(server, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("'patch' verb on pods/ephemeralcontainers in namespace shop", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_PodGone_IsPodNotFound()
    {
        var refusal = InjectionRefusalExplainer.Explain(Error(HttpStatusCode.NotFound, "pods \"api-1\" not found"), "shop", "api-1")!;

        Assert.Equal(Conditions.PodNotFound, refusal.Reason);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.Conflict)]
    public void Explain_TransientFailure_ReturnsNullToRetry(HttpStatusCode code)
    {
        Assert.Null(InjectionRefusalExplainer.Explain(Error(code, "try again"), "shop", "api-1"));
    }
}

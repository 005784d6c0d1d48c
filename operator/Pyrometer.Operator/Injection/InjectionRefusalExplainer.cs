using Pyrometer.Kube.Api;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Injection;

/// <summary>Turns a refused ephemeral-container patch into a reason and an actionable message (pure).</summary>
internal static class InjectionRefusalExplainer
{
    /// <summary>The refusal, or null when the failure is transient and the reconcile should retry.</summary>
    public static InjectionRefusal? Explain(KubeApiException error, string podNamespace, string podName)
    {
        ArgumentNullException.ThrowIfNull(error);
        var serverMessage = error.Status?.Message ?? error.Message;
        if (error.IsNotFound)
        {
            return new InjectionRefusal(Conditions.PodNotFound, $"Pod {podNamespace}/{podName} disappeared before the agent could be added: {serverMessage}");
        }
        if (error.IsForbidden && serverMessage.Contains("PodSecurity", StringComparison.Ordinal))
        {
            // Pod Security Admission evaluates ephemeral containers like any other container; SYS_PTRACE is not in
            // the baseline allow-list (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
            return new InjectionRefusal(
                Conditions.EphemeralContainersForbidden,
                $"Pod Security Admission refused the agent: {serverMessage}. The agent needs the SYS_PTRACE capability, which the " +
                "baseline and restricted levels do not allow. Narrowest first: profile in a dedicated staging namespace, or " +
                "exempt only the operator's service account in the API server's PodSecurity admission configuration " +
                $"(exemptions.usernames); labelling namespace {podNamespace} pod-security.kubernetes.io/enforce=privileged " +
                "lifts Pod Security for every pod in it.");
        }
        if (error.IsForbidden)
        {
            return new InjectionRefusal(
                Conditions.EphemeralContainersForbidden,
                $"The API server refused to add the agent: {serverMessage}. The operator's service account needs the 'patch' verb " +
                $"on pods/ephemeralcontainers in namespace {podNamespace} (the built-in admin and edit roles do not grant it).");
        }
        if (error.IsInvalid)
        {
            return new InjectionRefusal(Conditions.EphemeralContainersForbidden, $"The API server rejected the agent container: {serverMessage}");
        }
        return null;
    }
}

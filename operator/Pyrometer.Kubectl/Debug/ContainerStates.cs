using k8s.Models;

namespace Pyrometer.Kubectl.Debug;

/// <summary>Reads an ephemeral container's state from a pod (pure).</summary>
internal static class ContainerStates
{
    /// <summary>Waiting reasons that will not resolve by themselves.</summary>
    private static readonly string[] StuckReasons = ["ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName", "CreateContainerError", "CreateContainerConfigError", "RunContainerError"];

    public static ContainerState Of(V1Pod pod, string container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = pod.Status?.EphemeralContainerStatuses?.FirstOrDefault(s => s.Name == container);
        if (status?.State?.Terminated is { } terminated)
        {
            return new ContainerState(ContainerStage.Terminated, terminated.ExitCode, terminated.Message);
        }
        if (status?.State?.Running is not null)
        {
            return new ContainerState(ContainerStage.Running, null, null);
        }
        if (status?.State?.Waiting is { } waiting && StuckReasons.Contains(waiting.Reason))
        {
            return new ContainerState(ContainerStage.Stuck, null, $"{waiting.Reason}: {waiting.Message}");
        }
        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return new ContainerState(ContainerStage.Stuck, null, $"the pod is {pod.Status.Phase}");
        }
        return new ContainerState(ContainerStage.Waiting, null, null);
    }
}

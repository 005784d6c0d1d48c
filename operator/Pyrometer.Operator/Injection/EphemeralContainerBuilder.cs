using Pyrometer.Kube.Models;

namespace Pyrometer.Operator.Injection;

/// <summary>Builds the agent's ephemeral container spec (pure).</summary>
internal static class EphemeralContainerBuilder
{
    public const string PtraceCapability = "SYS_PTRACE";

    public static EphemeralContainer Build(
        string name, string targetContainer, AgentLaunch launch, OperatorOptions options, InjectionMode mode)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(options);
        return new EphemeralContainer
        {
            Name = name,
            Image = options.AgentImage,
            ImagePullPolicy = string.IsNullOrEmpty(options.AgentImagePullPolicy) ? null : options.AgentImagePullPolicy,
            Args = [.. launch.Args],
            TargetContainerName = targetContainer,
            Env =
            [
                // The root filesystem is read-only; the agent stages upload-only artifacts in its temporary
                // directory, so point that at the pod's /dev/shm tmpfs, which stays writable.
                new EnvVar { Name = "TMPDIR", Value = "/dev/shm" },
                // Presigned URLs: in the environment, not argv, which the target can read through the shared PID namespace.
                new EnvVar { Name = AgentArgsBuilder.UploadsVariable, Value = launch.Uploads },
            ],
            TerminationMessagePath = AgentArgsBuilder.TerminationMessagePath,
            TerminationMessagePolicy = "File",
            // A 1.20/1.21 server rejects any securityContext on an ephemeral container (validation allow-list), so
            // there the agent runs with the container runtime's defaults and needs the target's uid and ptrace_scope 0.
            SecurityContext = mode == InjectionMode.Legacy ? null : new SecurityContext
            {
                Capabilities = new Capabilities { Add = [PtraceCapability], Drop = ["ALL"] },
                RunAsUser = options.AgentRunAsUser,
                RunAsNonRoot = options.AgentRunAsUser == 0 ? null : true,
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
            },
        };
    }
}

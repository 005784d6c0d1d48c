namespace Pyrometer.Kubectl.Debug;

/// <summary>The life of an ephemeral container as the plugin cares about it.</summary>
internal enum ContainerStage
{
    Waiting,
    Running,
    Terminated,

    /// <summary>It will not start by itself: the image cannot be pulled, or the container not created.</summary>
    Stuck,
}

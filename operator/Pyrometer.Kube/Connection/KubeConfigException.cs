namespace Pyrometer.Kube.Connection;

/// <summary>The connection settings (kubeconfig or in-cluster service account) are missing or invalid.</summary>
public sealed class KubeConfigException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public KubeConfigException()
        : this("The Kubernetes connection settings are invalid.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public KubeConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

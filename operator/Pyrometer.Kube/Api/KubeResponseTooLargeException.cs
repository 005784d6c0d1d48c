namespace Pyrometer.Kube.Api;

/// <summary>An API response longer than <see cref="KubeApiOptions.MaxResponseBytes"/>; it is not read, nor the call retried.</summary>
public sealed class KubeResponseTooLargeException : IOException
{
    /// <summary>Creates the exception.</summary>
    public KubeResponseTooLargeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public KubeResponseTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public KubeResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

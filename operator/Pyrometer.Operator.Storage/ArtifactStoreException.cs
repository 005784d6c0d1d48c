namespace Pyrometer.Operator.Storage;

/// <summary>
/// A storage failure with a message a person can act on; the controller copies it into the request's status.
/// Messages never contain presigned URLs or their query strings.
/// </summary>
public sealed class ArtifactStoreException : Exception
{
    /// <summary>A failure of kind <see cref="ArtifactStoreProblem.Other"/> with the default message.</summary>
    public ArtifactStoreException()
    {
    }

    /// <summary>A failure of kind <see cref="ArtifactStoreProblem.Other"/>.</summary>
    public ArtifactStoreException(string message)
        : base(message)
    {
    }

    /// <summary>A failure of kind <see cref="ArtifactStoreProblem.Other"/> caused by <paramref name="innerException"/>.</summary>
    public ArtifactStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A failure of kind <paramref name="problem"/>, e.g. refused credentials or an unreachable endpoint.</summary>
    public ArtifactStoreException(ArtifactStoreProblem problem, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
    }

    /// <summary>What kind of failure it is, for the message's advice and for retries.</summary>
    public ArtifactStoreProblem Problem { get; } = ArtifactStoreProblem.Other;

    /// <summary>True when the same call may succeed later without a configuration change.</summary>
    public bool IsTransient => Problem is ArtifactStoreProblem.Unreachable or ArtifactStoreProblem.Unavailable;
}

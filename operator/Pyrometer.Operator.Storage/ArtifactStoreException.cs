namespace Pyrometer.Operator.Storage;

/// <summary>
/// A storage failure with a message a person can act on; the controller copies it into the request's status.
/// Messages never contain presigned URLs or their query strings.
/// </summary>
internal sealed class ArtifactStoreException : Exception
{
    public ArtifactStoreException()
    {
    }

    public ArtifactStoreException(string message)
        : base(message)
    {
    }

    public ArtifactStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ArtifactStoreException(ArtifactStoreProblem problem, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
    }

    public ArtifactStoreProblem Problem { get; } = ArtifactStoreProblem.Other;

    /// <summary>True when the same call may succeed later without a configuration change.</summary>
    public bool IsTransient => Problem is ArtifactStoreProblem.Unreachable or ArtifactStoreProblem.Unavailable;
}

namespace Pyrometer.Rendering.Formats;

/// <summary>An input profile (folded text or pprof) that cannot be read; the message says where and why.</summary>
public sealed class ProfileFormatException : FormatException
{
    /// <summary>An error with the default message.</summary>
    public ProfileFormatException()
    {
    }

    /// <summary>An error with <paramref name="message"/>.</summary>
    public ProfileFormatException(string message)
        : base(message)
    {
    }

    /// <summary>An error with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public ProfileFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

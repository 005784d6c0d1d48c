using System.Diagnostics.CodeAnalysis;

namespace Pyrometer.Sampling.Target;

/// <summary>Either where the interpreter is, or why it could not be found.</summary>
internal sealed class DiscoveryResult
{
    private DiscoveryResult(InterpreterLocation? location, DiscoveryError? error)
    {
        Location = location;
        Error = error;
    }

    public InterpreterLocation? Location { get; }

    public DiscoveryError? Error { get; }

    [MemberNotNullWhen(true, nameof(Location))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Location is not null;

    public static DiscoveryResult Found(InterpreterLocation location) => new(location ?? throw new ArgumentNullException(nameof(location)), null);

    public static DiscoveryResult Failed(TargetErrorKind code, string message) => new(null, new DiscoveryError(code, message));

    public override string ToString() => IsSuccess
        ? $"CPython {Location.Version} in process {Location.ProcessId} ({Location.BinaryPath})"
        : Error.ToString();
}

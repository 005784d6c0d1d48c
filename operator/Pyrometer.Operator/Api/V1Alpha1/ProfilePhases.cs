namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>The values of <c>status.phase</c> (and of each target's phase).</summary>
internal static class ProfilePhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public static IReadOnlyList<string> All { get; } = [Pending, Running, Succeeded, Failed];

    public static bool IsFinished(string? phase) => phase is Succeeded or Failed;
}

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>The values of <c>spec.mode</c>.</summary>
internal static class ProfileModes
{
    public const string Cpu = "cpu";
    public const string Wall = "wall";
    public const string Gil = "gil";
    public const string Async = "async";

    public static IReadOnlyList<string> All { get; } = [Cpu, Wall, Gil, Async];
}

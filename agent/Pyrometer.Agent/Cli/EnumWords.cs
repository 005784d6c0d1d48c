using System.Text.RegularExpressions;

namespace Pyrometer.Agent.Cli;

/// <summary>
/// An error kind as words ("UnterminatedBracket" → "unterminated bracket"): the runtime's messages are
/// resource keys in the NativeAOT binary (UseSystemResourceKeys), its enums are not.
/// </summary>
internal static partial class EnumWords
{
    public static string Of(Enum value) => CapitalBoundary().Replace(value.ToString(), " ").ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex CapitalBoundary();
}

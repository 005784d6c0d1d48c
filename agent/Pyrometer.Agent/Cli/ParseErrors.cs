using System.CommandLine;
using System.CommandLine.Parsing;

namespace Pyrometer.Agent.Cli;

/// <summary>
/// Words the parser's errors for people: System.CommandLine names the .NET type a value failed to
/// convert to ("as expected type 'System.Int32'"), which says nothing to a user.
/// </summary>
internal static class ParseErrors
{
    public static string Describe(ParseError error)
    {
        if (!error.Message.Contains("expected type", StringComparison.Ordinal) || OptionOf(error.SymbolResult) is not { } option)
        {
            return error.Message;
        }
        var type = Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType;
        var kind = type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(double) ? "a number"
            : "another kind of value";
        var given = option.Tokens.Count > 0 ? $", got '{option.Tokens[0].Value}'" : "";
        return $"{option.Option.Name} needs {kind}{given}";
    }

    private static OptionResult? OptionOf(SymbolResult? result)
    {
        for (var current = result; current is not null; current = current.Parent)
        {
            if (current is OptionResult option)
            {
                return option;
            }
        }
        return null;
    }
}

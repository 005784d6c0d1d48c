using Pyrometer.Agent.Cli;

namespace Pyrometer.Agent.Tests.Cli;

/// <summary>record, top and dump name their target with the same options and the same rules.</summary>
public sealed class TargetOptionsTests
{
    [Theory]
    [InlineData("record")]
    [InlineData("top")]
    [InlineData("dump")]
    public void Parse_EveryCommand_AcceptsPidAutoMatchAndS(string command)
    {
        foreach (string[] target in (string[][])[["--pid", "auto"], ["--match", "gunicorn"], ["--pid", "auto", "--match", "gunicorn", "-s"], ["-p", "42"]])
        {
            var result = PyrometerCommandLine.Parse([command, .. target]);

            Assert.Empty(result.Errors);
        }
    }

    [Theory]
    [InlineData("top")]
    [InlineData("dump")]
    public void Bind_TopAndDump_NameTheTargetsTheyTake(string command)
    {
        var errors = new List<string>();

        Assert.Null(TargetOptions.Bind(null, null, [], errors, launches: false));

        Assert.Equal("name a target: --pid N, --pid auto, --match REGEX", Assert.Single(errors));
        Assert.Empty(PyrometerCommandLine.Parse([command, "--pid", "7"]).Errors);
    }

    [Fact]
    public void Bind_BadRegex_IsWordedWithoutTheParsersInternals()
    {
        var errors = new List<string>();

        Assert.Null(TargetOptions.Bind(null, "(", [], errors));

        Assert.Equal("--match is not a valid regular expression: insufficient closing parentheses at offset 1", Assert.Single(errors));
    }

    [Theory]
    [InlineData(new[] { "record", "--pid", "1", "--rate", "abc" }, "--rate needs a whole number, got 'abc'")]
    [InlineData(new[] { "record", "--pid", "1", "--duration", "soon" }, "--duration needs a number, got 'soon'")]
    [InlineData(new[] { "top", "--pid", "1", "--interval", "x" }, "--interval needs a number, got 'x'")]
    public void ParseError_ForAValueOfTheWrongKind_NamesNoDotNetType(string[] args, string expected)
    {
        var error = Assert.Single(PyrometerCommandLine.Parse(args).Errors);

        Assert.Equal(expected, ParseErrors.Describe(error));
    }

    [Theory]
    [InlineData("own", "Own")]
    [InlineData("total-time", "TotalTime")]
    [InlineData("name", "Function")]
    public void ParseSort_KnownKeys(string text, string expected)
    {
        var errors = new List<string>();

        Assert.Equal(expected, TopOptions.ParseSort(text, errors).ToString());
        Assert.Empty(errors);
    }

    [Fact]
    public void ParseSort_Unknown_ListsTheKeys()
    {
        var errors = new List<string>();

        TopOptions.ParseSort("cpu", errors);

        Assert.Equal("--sort must be own, total, own-time, total-time or name, got 'cpu'", Assert.Single(errors));
    }
}

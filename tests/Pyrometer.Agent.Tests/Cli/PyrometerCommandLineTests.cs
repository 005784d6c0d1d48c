using Pyrometer.Agent.Cli;

namespace Pyrometer.Agent.Tests.Cli;

public sealed class PyrometerCommandLineTests : IDisposable
{
    private const string Secret = "contents-7d2e-must-stay-on-disk";
    private readonly string _file = Path.GetTempFileName();

    public PyrometerCommandLineTests() => File.WriteAllText(_file, "--pid\n1\n" + Secret + "\n");

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData("record", "--match")]
    [InlineData("record", "--output")]
    [InlineData("convert", "--output")]
    public void Parse_ValueStartingWithAt_IsTakenLiterallyNotReadAsAResponseFile(string command, string option)
    {
        var result = PyrometerCommandLine.Parse([command, option, "@" + _file, "--format", "folded", "in.folded"]);

        Assert.Equal("@" + _file, result.GetValue<string>(option));
        Assert.DoesNotContain(result.Tokens, t => t.Value.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ArgumentStartingWithAt_IsTakenLiterally()
    {
        var result = PyrometerCommandLine.Parse(["convert", "@" + _file, "--format", "folded", "--output", "out"]);

        Assert.Empty(result.Errors);
        Assert.Equal("@" + _file, result.GetValue<string>("input"));
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("convert")]
    public void Parse_HelpWithoutTheRequiredArguments_IsStillHelp(string command)
    {
        var result = PyrometerCommandLine.Parse([command, "--help"]);

        Assert.NotEmpty(result.Errors);   // BEFORE, AFTER and -o are missing, yet help is what runs
        Assert.True(CommandHelp.IsHelp(result));
        Assert.False(CommandHelp.IsHelp(PyrometerCommandLine.Parse([command])));
    }

    [Fact]
    public void Parse_DiffByLineAndByPid_AreFlags()
    {
        var result = PyrometerCommandLine.Parse(["diff", "a.folded", "b.folded", "-o", "d.svg", "--by-line", "--by-pid"]);

        Assert.Empty(result.Errors);
        Assert.True(result.GetValue<bool>("--by-line"));
        Assert.True(result.GetValue<bool>("--by-pid"));
    }
}

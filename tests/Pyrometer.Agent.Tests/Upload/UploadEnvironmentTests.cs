using Pyrometer.Agent.Upload;

namespace Pyrometer.Agent.Tests.Upload;

public sealed class UploadEnvironmentTests
{
    private const string Signed = "https://s3.local:9000/profiles/a/b.svg?X-Amz-Signature=topsecret";

    [Fact]
    public void Parse_OneLinePerFormat_GivesEachTarget()
    {
        var errors = new List<string>();

        var uploads = UploadEnvironment.Parse("PYROMETER_UPLOADS", $"flamegraph={Signed}\r\npprof=http://h/k?a=b=c\n\n", errors);

        Assert.Empty(errors);
        Assert.Equal(["flamegraph", "pprof"], uploads.Select(u => u.Format));
        Assert.Equal(Signed, uploads[0].Url.AbsoluteUri);
        Assert.Equal("http://h/k?a=b=c", uploads[1].Url.ToString());
    }

    [Theory]
    [InlineData(Signed, "line 1: expected FORMAT=URL")]
    [InlineData("svg=" + Signed, "line 1: unknown format 'svg'")]
    [InlineData("flamegraph=file:///etc/passwd", "line 1: the URL for flamegraph must be an absolute http or https URL")]
    [InlineData("flamegraph=/relative?X-Amz-Signature=topsecret", "must be an absolute http or https URL")]
    [InlineData("flamegraph= " + Signed, "must be an absolute http or https URL")]
    [InlineData("flamegraph=" + Signed + "\nflamegraph=" + Signed, "line 2: flamegraph is listed twice")]
    [InlineData("\n\n", "not set or empty")]
    public void Parse_BadValue_SaysWhereWithoutTheSignature(string value, string expected)
    {
        var errors = new List<string>();

        UploadEnvironment.Parse("PYROMETER_UPLOADS", value, errors);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("topsecret", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Unset_SaysSo()
    {
        var errors = new List<string>();

        UploadEnvironment.Parse("PYROMETER_UPLOADS", null, errors);

        Assert.Equal(["--upload-env PYROMETER_UPLOADS: that environment variable is not set or empty"], errors);
    }

    [Fact]
    public void Parse_Oversized_RefusesWithoutReadingLines()
    {
        var errors = new List<string>();

        var uploads = UploadEnvironment.Parse("PYROMETER_UPLOADS", "flamegraph=" + Signed + new string('x', UploadEnvironment.MaxChars), errors);

        Assert.Empty(uploads);
        Assert.Contains(errors, e => e.Contains("longer than 32768 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_HostileVariableName_Refuses()
    {
        var errors = new List<string>();

        UploadEnvironment.Parse("@/etc/passwd", "flamegraph=" + Signed, errors);

        Assert.Contains(errors, e => e.Contains("--upload-env names an environment variable", StringComparison.Ordinal));
    }
}

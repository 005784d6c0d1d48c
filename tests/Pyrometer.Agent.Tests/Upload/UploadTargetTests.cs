using Pyrometer.Agent.Upload;

namespace Pyrometer.Agent.Tests.Upload;

public sealed class UploadTargetTests
{
    [Fact]
    public void SafeUrl_PresignedUrl_DropsTheQueryString()
    {
        Assert.True(UploadTarget.TryParse("flamegraph=https://s3.local:9000/profiles/a/b.svg?X-Amz-Credential=k&X-Amz-Signature=s", out var target, out _));

        Assert.Equal("https://s3.local:9000/profiles/a/b.svg", target!.SafeUrl);
        Assert.Equal("flamegraph", target.Format);
    }

    [Fact]
    public void TryParse_UrlContainingEquals_SplitsAtTheFirstOnly()
    {
        Assert.True(UploadTarget.TryParse("pprof=http://h/k?a=b", out var target, out _));

        Assert.Equal("http://h/k?a=b", target!.Url.ToString());
    }
}

using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

public sealed class FileCredentialsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void GetCredentials_FilesWithNewlines_AreTrimmed()
    {
        var credentials = new FileCredentials(Write("id", "AKIAEXAMPLE\n"), Write("secret", "  s3cr3t\n"), Write("token", "tok\n"));

        var read = credentials.GetCredentials();

        Assert.Equal("AKIAEXAMPLE", read.AccessKey);
        Assert.Equal("s3cr3t", read.SecretKey);
        Assert.Equal("tok", read.Token);
    }

    [Fact]
    public void GetCredentials_SecretRotated_ReadsTheNewValues()
    {
        var id = Write("id", "OLD");
        var secret = Write("secret", "old-secret");
        var credentials = new FileCredentials(id, secret, null);
        Assert.Equal("OLD", credentials.GetCredentials().AccessKey);

        File.WriteAllText(id, "NEW");
        File.WriteAllText(secret, "new-secret");
        File.SetLastWriteTimeUtc(secret, File.GetLastWriteTimeUtc(secret).AddSeconds(5));   // as kubelet's symlink swap would

        var read = credentials.GetCredentials();
        Assert.Equal("NEW", read.AccessKey);
        Assert.Equal("new-secret", read.SecretKey);
    }

    [Fact]
    public void GetCredentials_EmptyOrMissingFile_SaysWhichFile()
    {
        var empty = new FileCredentials(Write("id", "\n"), Write("secret", "s"), null);
        var missing = new FileCredentials(Write("id2", "AKIA"), Path.Combine(_directory.Path, "nope"), null);

        var e1 = Assert.Throws<ArtifactStoreException>(() => empty.GetCredentials());
        var e2 = Assert.Throws<ArtifactStoreException>(() => missing.GetCredentials());

        Assert.Equal(ArtifactStoreProblem.InvalidCredentials, e1.Problem);
        Assert.Contains("is empty", e1.Message, StringComparison.Ordinal);
        Assert.Contains("nope", e2.Message, StringComparison.Ordinal);
        Assert.Contains("Secret mounted", e2.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory.Path, name);
        File.WriteAllText(path, content);
        return path;
    }
}

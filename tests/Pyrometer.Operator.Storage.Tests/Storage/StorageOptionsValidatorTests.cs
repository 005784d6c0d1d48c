using Pyrometer.Operator.Storage.Tests.Support;

namespace Pyrometer.Operator.Storage.Tests.Storage;

public sealed class StorageOptionsValidatorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Validate_Defaults_SucceedForBuiltIn()
    {
        Assert.True(Validate(new StorageOptions()).Succeeded);
    }

    [Fact]
    public void Validate_MinimalS3_Succeeds()
    {
        var options = new StorageOptions { S3 = new S3StoreOptions { Bucket = "profiles" } };

        Assert.True(options.UsesS3);
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("Profiles", "Bucket")]
    [InlineData("ab", "Bucket")]
    [InlineData("my_bucket", "Bucket")]
    public void Validate_BadBucketName_Fails(string bucket, string mentions)
    {
        var result = Validate(new StorageOptions { S3 = new S3StoreOptions { Bucket = bucket } });

        Assert.True(result.Failed);
        Assert.Contains(mentions, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_S3Problems_AreAllReportedWithTheirKeys()
    {
        var options = new StorageOptions
        {
            S3 = new S3StoreOptions
            {
                Bucket = "profiles",
                Endpoint = new Uri("ftp://minio:9000"),
                Prefix = "/profiles/",
                AccessKeyIdFile = Path.Combine(_directory.Path, "missing"),
                LinkValidity = TimeSpan.FromDays(8),
                Region = "",
            },
        };

        var message = Validate(options).FailureMessage;

        Assert.Contains("Storage:S3:Endpoint", message, StringComparison.Ordinal);
        Assert.Contains("Storage:S3:Prefix", message, StringComparison.Ordinal);
        Assert.Contains("AccessKeyIdFile and SecretAccessKeyFile go together", message, StringComparison.Ordinal);
        Assert.Contains("is the credentials Secret mounted there?", message, StringComparison.Ordinal);
        Assert.Contains("Storage:S3:LinkValidity", message, StringComparison.Ordinal);
        Assert.Contains("Storage:S3:Region", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FilesAndValuesBoth_Fails()
    {
        var id = Path.Combine(_directory.Path, "id");
        var secret = Path.Combine(_directory.Path, "secret");
        File.WriteAllText(id, "AKIA");
        File.WriteAllText(secret, "s");
        var options = new StorageOptions
        {
            S3 = new S3StoreOptions { Bucket = "profiles", AccessKeyIdFile = id, SecretAccessKeyFile = secret, AccessKeyId = "AKIA", SecretAccessKey = "s" },
        };

        Assert.Contains("not both", Validate(options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BuiltInProblems_AreReported()
    {
        var options = new StorageOptions
        {
            BuiltIn = new BuiltInStoreOptions
            {
                RootPath = "relative/dir",
                BaseUrl = new Uri("http://operator:8080/?x=1"),
                SigningKey = "c2hvcnQ=",
                MaxUploadBytes = 0,
                PublicUrl = new Uri("http://localhost:8080/?signature=x"),
                UploadPort = 70_000,
                LinkValidity = TimeSpan.FromDays(8),
            },
            Viewer = new ViewerOptions { AuthCacheDuration = TimeSpan.FromHours(1) },
        };

        var message = Validate(options).FailureMessage;

        Assert.Contains("Storage:BuiltIn:RootPath", message, StringComparison.Ordinal);
        Assert.Contains("Storage:BuiltIn:BaseUrl", message, StringComparison.Ordinal);
        Assert.Contains("Storage:BuiltIn:SigningKey", message, StringComparison.Ordinal);
        Assert.Contains("Storage:BuiltIn:MaxUploadBytes", message, StringComparison.Ordinal);
        Assert.Contains("Storage:BuiltIn:PublicUrl", message, StringComparison.Ordinal);
        Assert.Contains("Storage:BuiltIn:UploadPort", message, StringComparison.Ordinal);
        Assert.Contains("Storage:BuiltIn:LinkValidity", message, StringComparison.Ordinal);
        Assert.Contains("Storage:Viewer:AuthCacheDuration", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://www.speedscope.app/")]
    [InlineData("http://speedscope.tools.svc:8080/speedscope/")]
    public void Validate_SpeedscopeUrl_EmptyOrPlainHttpUrl_Succeeds(string url)
    {
        var options = new StorageOptions { Viewer = new ViewerOptions { SpeedscopeUrl = url } };

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(url.Length == 0 ? null : new Uri(url).GetLeftPart(UriPartial.Authority), options.Viewer.SpeedscopeOrigin);
    }

    [Theory]
    [InlineData("speedscope.app")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.com/")]
    [InlineData("https://example.com/?x=1")]
    [InlineData("https://example.com/#profileURL=x")]
    public void Validate_SpeedscopeUrl_Unusable_FailsNamingTheKey(string url)
    {
        var result = Validate(new StorageOptions { Viewer = new ViewerOptions { SpeedscopeUrl = url, MaxCompareProfileBytes = 0 } });

        Assert.True(result.Failed);
        Assert.Contains("Storage:Viewer:SpeedscopeUrl", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Storage:Viewer:MaxCompareProfileBytes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_ViewerOffLinksForSevenDaysUploadsOn8081()
    {
        var options = new StorageOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.False(options.Viewer.Enabled);
        Assert.Equal(TimeSpan.FromDays(7), options.BuiltIn.LinkValidity);
        Assert.Equal(8081, options.BuiltIn.UploadPort);
        Assert.Equal(8081, options.BuiltIn.BaseUrl.Port);
        Assert.Equal(8080, options.BuiltIn.PublicUrl.Port);
    }

    [Fact]
    public void Validate_S3InUse_IgnoresBuiltInLeftovers()
    {
        var options = new StorageOptions
        {
            S3 = new S3StoreOptions { Bucket = "profiles" },
            BuiltIn = new BuiltInStoreOptions { RootPath = "relative" },
        };

        Assert.True(Validate(options).Succeeded);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(StorageOptions options) =>
        new StorageOptionsValidator().Validate(null, options);
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>
/// A real S3-compatible server (hack/lib/s3-server.sh) on 127.0.0.1, shared by one test class. It checks
/// SigV4 signatures with the key pair it announces, so wrong credentials fail as they would against S3.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Bucket = "profiles";

    private readonly string _state = Directory.CreateTempSubdirectory("pyrometer-s3-").FullName;
    private int _port;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1:1");

    public string AccessKey { get; private set; } = "";

    public string SecretKey { get; private set; } = "";

    /// <summary>Where the server is installed, or null (then the S3 tests skip).</summary>
    public static string? Installation
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("PYROMETER_CACHE")
                ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache"), "pyrometer");
            var server = Path.Combine(cache, "s3-server", "run.js");
            return File.Exists(server) && FindOnPath("node") is not null ? server : null;
        }
    }

    public async Task InitializeAsync()
    {
        if (Installation is null)
        {
            return;   // every test of the class skips itself
        }
        _port = FreePort();
        await StartAsync();
        using var client = Client(AccessKey, SecretKey);
        await client.PutBucketAsync(Bucket);
    }

    public async Task DisposeAsync()
    {
        if (Installation is not null)
        {
            await StopAsync();
        }
        Directory.Delete(_state, recursive: true);
    }

    /// <summary>Starts the server (again) on the same port and data directory.</summary>
    public async Task StartAsync()
    {
        var output = await RunScriptAsync("start", _state, _port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
        Endpoint = new Uri(values["endpoint"]);
        AccessKey = values["access_key"];
        SecretKey = values["secret_key"];
    }

    public Task StopAsync() => RunScriptAsync("stop", _state);

    public AmazonS3Client Client(string accessKey, string secretKey) => new(
        new BasicAWSCredentials(accessKey, secretKey),
        new AmazonS3Config { ServiceURL = Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    private static async Task<string> RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryPaths.S3ServerScript);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"s3-server.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        }
        return await stdout;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}

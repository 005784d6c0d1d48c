using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>The built agent never reads a file named by '@' and keeps upload URLs out of its command line (issue #12).</summary>
[Trait("Category", "Integration")]
public sealed class SecretsLiveTests : IDisposable
{
    private const string Secret = "token-a6f3c9e1-never-printed";
    private readonly string _directory = Directory.CreateTempSubdirectory("pyrometer-secrets-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Record_MatchNamingAFile_NeverPrintsItsContents()
    {
        var secretFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(secretFile, Secret + "\n--help\n");
        using var agent = AgentProcess.Start(["record", "--match", "@" + secretFile, "--duration", "1", "--format", "folded", "--output-dir", _directory, "--no-progress"]);

        var (exit, output) = await agent.WaitAsync();

        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        Assert.Contains("matching /@" + secretFile + "/", output, StringComparison.Ordinal);   // taken literally, as a regex
        Assert.Equal(3, exit);   // process not found
    }

    [Fact]
    public async Task Convert_InputNamingAFileWithAt_TakesTheNameLiterally()
    {
        var secretFile = Path.Combine(_directory, "names");
        await File.WriteAllTextAsync(secretFile, Secret + "\n");
        using var agent = AgentProcess.Start(["convert", "@" + secretFile, "--format", "folded", "--output", Path.Combine(_directory, "out")]);

        var (exit, output) = await agent.WaitAsync();

        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        Assert.NotEqual(0, exit);   // "@…" names no file
    }

    [PythonTheory(MinVersion = "3.13")]
    public async Task Record_UploadsFromEnvironment_UploadsWithoutAnyUrlInTheCommandLine(TestPython python)
    {
        using var store = new UploadRecorder();
        using var target = await PythonProcess.StartAsync(python, "hot_functions");
        var url = $"{store.Prefix}profiles/folded?X-Amz-Signature={Secret}";
        using var agent = AgentProcess.Start(
            // Wall mode: every tick yields stacks even when a starved machine keeps the target off the CPU.
            ["record", "--pid=" + target.Pid.ToString(CultureInfo.InvariantCulture), "--duration=2", "--mode=wall", "--format=folded", "--upload-env=PYROMETER_UPLOADS",
             "--result-file=" + Path.Combine(_directory, "result.json"), "--no-progress"],
            new Dictionary<string, string> { ["PYROMETER_UPLOADS"] = "folded=" + url, ["TMPDIR"] = _directory });

        // The agent samples for 2 s after attaching, so it is alive here; this is what the target could read.
        var cmdline = await agent.ReadCmdlineAsync();
        var (exit, output) = await agent.WaitAsync();

        Assert.True(cmdline.Contains("--upload-env=PYROMETER_UPLOADS", StringComparison.Ordinal), $"cmdline '{cmdline}', exit {exit}: {output}");
        Assert.DoesNotContain(Secret, cmdline, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", cmdline, StringComparison.Ordinal);
        Assert.True(exit == 0, output);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        var put = Assert.Single(store.Received);
        Assert.Equal(("PUT", "/profiles/folded?X-Amz-Signature=" + Secret), (put.Method, put.PathAndQuery));
        Assert.Contains("hot_a", put.Body, StringComparison.Ordinal);
    }

    [PythonTheory(MinVersion = "3.13")]
    public async Task Record_LaunchedCommand_DoesNotInheritTheUploadVariable(TestPython python)
    {
        using var store = new UploadRecorder();
        var seen = Path.Combine(_directory, "seen");
        // The command writes what it can see of the agent's environment, then works until it exits. Wall mode: this
        // tests secrets, not sampling; a starved CPU still gives wall samples of a short-lived command.
        var script = $$"""
            import os, time
            with open({{PythonLiteral(seen)}}, "w") as out:
                out.write(repr(os.environ.get("PYROMETER_UPLOADS")) + " " + repr(os.environ.get("PYROMETER_CANARY")))
            deadline = time.monotonic() + 1.5
            while time.monotonic() < deadline:
                pass
            """;
        using var agent = AgentProcess.Start(
            ["record", "--duration=60", "--mode=wall", "--format=folded", "--upload-env=PYROMETER_UPLOADS", "--no-progress", "--", python.Path, "-B", "-c", script],
            new Dictionary<string, string>
            {
                ["PYROMETER_UPLOADS"] = $"folded={store.Prefix}profiles/folded?X-Amz-Signature={Secret}",
                ["PYROMETER_CANARY"] = "inherited",
                ["TMPDIR"] = _directory,
            });

        var (exit, output) = await agent.WaitAsync();

        Assert.True(exit == 0, output);
        Assert.Equal("None 'inherited'", await File.ReadAllTextAsync(seen));
        Assert.Single(store.Received);   // the agent itself still had the URLs
    }

    private static string PythonLiteral(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>A loopback HTTP server that accepts every PUT and remembers it.</summary>
    private sealed class UploadRecorder : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Method, string PathAndQuery, string Body)> _received = [];

        public UploadRecorder()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Prefix = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
            probe.Stop();
            _listener.Prefixes.Add(Prefix);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Prefix { get; }

        public IReadOnlyList<(string Method, string PathAndQuery, string Body)> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (_received)
                {
                    _received.Add((context.Request.HttpMethod, context.Request.Url!.PathAndQuery, body));
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}

using System.Diagnostics;
using System.Globalization;

namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>
/// The operator, run on the node as a process with the ServiceAccount token hack/e2e.sh bound to the chart's
/// RBAC. Each start takes a new leader-election identity, as a new pod would, so a killed operator's successor
/// has to take the Lease over.
/// </summary>
internal sealed class OperatorProcess(EndToEndEnvironment environment) : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Process? _process;
    private int _starts;

    public ArtifactStoreKind? Store { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{environment.OperatorPort}");

    /// <summary>Starts the operator with <paramref name="store"/> unless it already runs with it.</summary>
    public async Task EnsureRunningAsync(ArtifactStoreKind store)
    {
        if (_process is { HasExited: false } && Store == store)
        {
            return;
        }
        await StopAsync();
        await StartAsync(store);
    }

    public async Task StartAsync(ArtifactStoreKind store)
    {
        _starts++;
        var log = Path.Combine(environment.StateDirectory, $"operator-{_starts}.log");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(environment.OperatorDll);
        foreach (var (key, value) in Settings(store))
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the operator");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { lock (writer) { writer.WriteLine(line.Data); } } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { lock (writer) { writer.WriteLine(line.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Store = store;
        await WaitUntilLeaderAsync(process, log);
    }

    /// <summary>SIGKILL: no lease release, no cleanup — a crash or an OOM kill.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
        _process = null;
    }

    /// <summary>SIGTERM and wait: the graceful shutdown a pod deletion gives.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        await Command.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cancel.Token);
        _process = null;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            Kill();
        }
    }

    private Dictionary<string, string> Settings(ArtifactStoreKind store)
    {
        var port = environment.OperatorPort.ToString(CultureInfo.InvariantCulture);
        var uploadPort = environment.UploadPort.ToString(CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = environment.OperatorKubeconfig,
            // Reads on loopback only; pods reach the upload port, and only it, at the bridge address.
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port};http://{environment.NodeAddress}:{uploadPort}",
            ["Operator__AgentImage"] = "pyrometer.local/agent:dev",
            ["Operator__AgentImagePullPolicy"] = "Never",
            ["LeaderElection__LeaseNamespace"] = "pyrometer",
            ["LeaderElection__Identity"] = $"e2e-operator-{_starts}",
        };
        if (store == ArtifactStoreKind.S3)
        {
            settings["Storage__S3__Bucket"] = environment.S3Bucket;
            settings["Storage__S3__Endpoint"] = environment.S3Endpoint.ToString();
            settings["Storage__S3__ForcePathStyle"] = "true";
            settings["Storage__S3__AccessKeyId"] = environment.S3AccessKey;
            settings["Storage__S3__SecretAccessKey"] = environment.S3SecretKey;
        }
        else
        {
            settings["Storage__BuiltIn__RootPath"] = Path.Combine(environment.StateDirectory, "builtin-store");
            settings["Storage__BuiltIn__BaseUrl"] = $"http://{environment.NodeAddress}:{uploadPort}";
            settings["Storage__BuiltIn__UploadPort"] = uploadPort;
            settings["Storage__BuiltIn__PublicUrl"] = BaseAddress.ToString();
        }
        return settings;
    }

    // A successor of a killed operator waits for the Lease to expire (15 s), so allow a minute.
    private async Task WaitUntilLeaderAsync(Process process, string log)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the operator exited with {process.ExitCode} at start; see {log}");
            }
            try
            {
                var readiness = await Http.GetStringAsync(new Uri(BaseAddress, "/readyz"));
                if (readiness.Contains("leader", StringComparison.Ordinal) && !readiness.Contains("standby", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // busy; ask again
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"the operator did not become leader within 60 s; see {log}");
    }
}

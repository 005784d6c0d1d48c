using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Tests.Integration;

/// <summary>
/// A real worker tree: gunicorn with 4 uvicorn workers serving the demo FastAPI app, on Debian
/// bookworm's /usr/bin/python3 (installed by hack/install-test-deps.sh).
/// </summary>
[Trait("Category", "Integration")]
public sealed class WorkerTreeLiveTests
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [GunicornFact]
    public async Task Watcher_GunicornTree_FindsAllWorkersAndTheReplacementOfAKilledOne()
    {
        using var service = await Gunicorn.StartAsync();
        using var watcher = new ProcessWatcher(service.MasterPid, subprocesses: true, PythonProcessProbe.Create(), new ProcProcessTable(ProcFs.Default));
        watcher.Start(TimeSpan.FromMilliseconds(50));

        await Eventually(() => watcher.Current.Count == 5, "master and 4 workers attached");
        var victim = watcher.Current.Select(p => p.ProcessId).First(pid => pid != service.MasterPid);
        Process.GetProcessById(victim).Kill();

        await Eventually(() => watcher.Current.Count == 5 && watcher.Current.All(p => p.ProcessId != victim), "the killed worker's replacement attached");
        Assert.Contains(watcher.Seen, p => p.CommandLine.Contains("gunicorn", StringComparison.Ordinal));
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, $"not within {Patience.TotalSeconds} s: {what}");
            await Task.Delay(20);
        }
    }

    private sealed class GunicornFactAttribute : FactAttribute
    {
        public GunicornFactAttribute()
        {
            if (!File.Exists(Python) || !Directory.Exists("/usr/lib/python3/dist-packages/gunicorn"))
            {
                Skip = $"{Python} with gunicorn is not installed: run hack/install-test-deps.sh";
            }
        }
    }

    private sealed class Gunicorn : IDisposable
    {
        private readonly Process _process;

        private Gunicorn(Process process) => _process = process;

        public int MasterPid => _process.Id;

        public static async Task<Gunicorn> StartAsync()
        {
            var app = Path.Combine(RepositoryRoot(), "hack", "demo-app");
            var port = FreePort();
            var start = new ProcessStartInfo(Python) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { "-m", "gunicorn", "--chdir", app, "-c", Path.Combine(app, "gunicorn.conf.py"), "--bind", $"127.0.0.1:{port}", "app:app" })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var service = new Gunicorn(process);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/healthz"));
                    if (response.IsSuccessStatusCode)
                    {
                        return service;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
                if (process.HasExited || clock.Elapsed > Patience)
                {
                    service.Dispose();
                    throw new InvalidOperationException("gunicorn did not become healthy");
                }
                await Task.Delay(100);
            }
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        private static string RepositoryRoot() =>
            typeof(Gunicorn).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
            _process.Dispose();
        }
    }
}

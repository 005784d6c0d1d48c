using System.Diagnostics;

namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>wrk on the node, keeping one of the demo's endpoints busy on every given pod address.</summary>
internal sealed class LoadGenerator : IDisposable
{
    private readonly List<Process> _processes = [];

    /// <summary>Keeps <paramref name="connections"/> requests to <paramref name="pathAndQuery"/> in flight on each pod.</summary>
    public void Start(IEnumerable<string> podAddresses, string pathAndQuery, int connections, TimeSpan duration)
    {
        foreach (var address in podAddresses)
        {
            var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
            // a new connection per request, so every worker accepts some, a replacement worker included
            foreach (var argument in new[] { "-t1", $"-c{connections}", "-H", "Connection: close", $"-d{(int)duration.TotalSeconds}s", $"http://{address}:8000{pathAndQuery}" })
            {
                info.ArgumentList.Add(argument);
            }
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start wrk");
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            _processes.Add(process);
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill();
        }
        _processes.ForEach(p => p.Dispose());
        _processes.Clear();
    }
}

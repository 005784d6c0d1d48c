using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>A script under a real interpreter with the sampler attached to it.</summary>
internal sealed class LiveTarget : IDisposable
{
    private LiveTarget(PythonProcess process, IProcessSampler sampler)
    {
        Process = process;
        Sampler = sampler;
    }

    public PythonProcess Process { get; }

    public IProcessSampler Sampler { get; }

    public static async Task<LiveTarget> StartAsync(TestPython python, string script, params string[] arguments)
    {
        var process = await PythonProcess.StartAsync(python, script, arguments);
        var sampler = PythonProcessProbe.Create().TryAttach(process.Pid, out var error);
        if (sampler is null)
        {
            process.Dispose();
            throw new InvalidOperationException($"could not attach to {script} on Python {python.Version}: {error?.Message}");
        }
        return new LiveTarget(process, sampler);
    }

    /// <summary>One sample that must succeed (a torn sample is retried a few times).</summary>
    public IReadOnlyList<ThreadStack> SampleOnce()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var stacks = new List<ThreadStack>();
            if (Sampler.Sample(stacks) == SampleStatus.Ok && stacks.Count > 0)
            {
                return stacks;
            }
        }
        throw new InvalidOperationException("20 samples in a row failed");
    }

    /// <summary>Samples until <paramref name="done"/> holds (at most 200 samples), returning the last sample.</summary>
    public async Task<IReadOnlyList<ThreadStack>> SampleUntilAsync(Func<IReadOnlyList<ThreadStack>, bool> done)
    {
        IReadOnlyList<ThreadStack> stacks = [];
        for (var attempt = 0; attempt < 200; attempt++)
        {
            stacks = SampleOnce();
            if (done(stacks))
            {
                break;
            }
            await Task.Delay(10);
        }
        return stacks;
    }

    /// <summary>
    /// A sample holding every one of <paramref name="nativeIds"/>: a busy thread whose frames changed while they
    /// were read is dropped from its sample (and counted), so one sample may lack it.
    /// </summary>
    public Task<IReadOnlyList<ThreadStack>> SampleWithThreadsAsync(params long[] nativeIds) =>
        SampleUntilAsync(stacks => nativeIds.All(id => stacks.Any(s => s.NativeThreadId == id)));

    public static ThreadStack Thread(IReadOnlyList<ThreadStack> stacks, long nativeId) =>
        stacks.SingleOrDefault(s => s.NativeThreadId == nativeId)
        ?? throw new InvalidOperationException($"no thread with native id {nativeId}; saw {string.Join(", ", stacks.Select(s => s.NativeThreadId))}");

    public void Dispose()
    {
        Sampler.Dispose();
        Process.Dispose();
    }
}

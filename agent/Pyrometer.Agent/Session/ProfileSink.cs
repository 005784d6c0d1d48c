using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Session;

/// <summary>
/// Turns sampled stacks into the rendering model: a process root frame (with subprocesses),
/// an optional thread frame, then Python frames root first. Frames arrive as cached instances,
/// so they are mapped to ids by reference and a steady-state sample allocates nothing.
/// </summary>
internal sealed class ProfileSink(ProfileBuilder builder, bool processFrames, bool threadFrames) : IStackSink
{
    private readonly Dictionary<PythonFrame, int> _frameIds = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<IProcessSampler, int> _processIds = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(int Pid, int Tid), int> _threadIds = [];
    private readonly Dictionary<int, long> _samplesByPid = [];
    private int[] _ids = new int[256];

    public IReadOnlyDictionary<int, long> SamplesByProcess => _samplesByPid;

    public void Add(IProcessSampler process, ThreadStack stack)
    {
        var frames = stack.Frames;
        var length = frames.Count + (processFrames ? 1 : 0) + (threadFrames ? 1 : 0);
        if (_ids.Length < length)
        {
            _ids = new int[Math.Max(length, _ids.Length * 2)];
        }
        var at = 0;
        if (processFrames)
        {
            _ids[at++] = ProcessFrame(process);
        }
        if (threadFrames)
        {
            _ids[at++] = ThreadFrame(process.ProcessId, stack);
        }
        for (var i = frames.Count - 1; i >= 0; i--)
        {
            _ids[at++] = FrameId(frames[i]);
        }
        builder.AddSample(_ids.AsSpan(0, at));
        _samplesByPid[process.ProcessId] = _samplesByPid.GetValueOrDefault(process.ProcessId) + 1;
    }

    public void TickCompleted(long timestamp)
    {
    }

    private int FrameId(PythonFrame frame)
    {
        if (!_frameIds.TryGetValue(frame, out var id))
        {
            id = builder.InternPython(frame.QualifiedName, frame.File, frame.Line);
            _frameIds[frame] = id;
        }
        return id;
    }

    private int ProcessFrame(IProcessSampler process)
    {
        if (!_processIds.TryGetValue(process, out var id))
        {
            id = builder.InternProcess(process.ProcessId, process.CommandLine);
            _processIds[process] = id;
        }
        return id;
    }

    private int ThreadFrame(int pid, ThreadStack stack)
    {
        var tid = stack.NativeThreadId;
        if (!_threadIds.TryGetValue((pid, tid), out var id))
        {
            id = builder.InternThread(tid != 0 ? tid : (long)(stack.ThreadId & 0x7FFF_FFFF_FFFF_FFFF), "");
            _threadIds[(pid, tid)] = id;
        }
        return id;
    }
}

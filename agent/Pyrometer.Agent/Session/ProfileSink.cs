using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Session;

/// <summary>
/// Turns sampled stacks into the rendering model: a process root frame (with subprocesses),
/// an optional thread frame, then Python frames root first. Frames arrive as cached instances,
/// so they are mapped to ids by reference and a steady-state sample allocates nothing. The walker
/// hands back the same <see cref="ThreadStack"/> while a thread's stack is unchanged, so a stack seen
/// before is counted by reference without looking at its frames.
/// </summary>
/// <param name="timeline">Also keeps the order of the samples per thread (for speedscope); null: counts only.</param>
internal sealed class ProfileSink(ProfileBuilder builder, bool processFrames, bool threadFrames, TimelineRecorder? timeline = null) : IStackSink
{
    // Bounds the stacks remembered by reference; clearing only costs a rebuild of the next ones.
    private const int MaxRememberedStacks = 8192;

    private readonly Dictionary<StackKey, int> _stackIndexes = [];
    private readonly Dictionary<PythonFrame, int> _frameIds = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<IProcessSampler, int> _processIds = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(int Pid, int Tid), (string Name, int Id)> _threadIds = [];
    private readonly Dictionary<int, long> _samplesByPid = [];
    private readonly Dictionary<(IProcessSampler Process, long Thread), (string Name, int Id)> _tracks = [];
    private int[] _ids = new int[256];

    public IReadOnlyDictionary<int, long> SamplesByProcess => _samplesByPid;

    public void Add(IProcessSampler process, ThreadStack stack) => AddStack(process, stack);

    public void Add(IProcessSampler process, ThreadStack stack, long sampledAt)
    {
        var index = AddStack(process, stack);
        if (timeline is not null)
        {
            timeline.Add(Track(process, stack), index, sampledAt);
        }
    }

    private int AddStack(IProcessSampler process, ThreadStack stack)
    {
        ref var samples = ref CollectionsMarshal.GetValueRefOrAddDefault(_samplesByPid, process.ProcessId, out _);
        samples++;
        // The thread frame is part of the key: a thread renamed (or named late) starts new stacks.
        // Async mode's task stacks belong to no thread (ids 0): they get no thread frame.
        var key = new StackKey(process, stack, threadFrames && !IsTaskStack(stack) ? ThreadFrame(process, stack) : -1);
        if (_stackIndexes.TryGetValue(key, out var known))
        {
            builder.AddSampleAt(known);
            return known;
        }
        if (_stackIndexes.Count >= MaxRememberedStacks)
        {
            _stackIndexes.Clear();
        }
        var index = builder.AddSampleIndexed(Ids(process, stack, key.ThreadFrame));
        _stackIndexes[key] = index;
        return index;
    }

    // One track per thread, and one for a process's task stacks; the name as the process reports it now.
    private int Track(IProcessSampler process, ThreadStack stack)
    {
        var tasks = IsTaskStack(stack);
        var thread = tasks ? -1 : stack.NativeThreadId != 0 ? stack.NativeThreadId : (long)(stack.ThreadId & 0x7FFF_FFFF_FFFF_FFFF);
        var name = tasks ? "" : process.ThreadName(stack) ?? "";
        if (!_tracks.TryGetValue((process, thread), out var known))
        {
            known = (name, timeline!.AddTrack(process.ProcessId, process.CommandLine, tasks ? 0 : thread, name, tasks));
            _tracks[(process, thread)] = known;
        }
        else if (name.Length > 0 && !string.Equals(known.Name, name, StringComparison.Ordinal))
        {
            timeline!.Rename(known.Id, name);
            _tracks[(process, thread)] = (name, known.Id);
        }
        return known.Id;
    }

    private ReadOnlySpan<int> Ids(IProcessSampler process, ThreadStack stack, int threadFrame)
    {
        var frames = stack.Frames;
        var length = frames.Count + (processFrames ? 1 : 0) + (threadFrame >= 0 ? 1 : 0);
        if (_ids.Length < length)
        {
            _ids = new int[Math.Max(length, _ids.Length * 2)];
        }
        var at = 0;
        if (processFrames)
        {
            _ids[at++] = ProcessFrame(process);
        }
        if (threadFrame >= 0)
        {
            _ids[at++] = threadFrame;
        }
        for (var i = frames.Count - 1; i >= 0; i--)
        {
            _ids[at++] = FrameId(frames[i]);
        }
        return _ids.AsSpan(0, at);
    }

    private static bool IsTaskStack(ThreadStack stack) => stack.ThreadId == 0 && stack.NativeThreadId == 0;

    public void TickCompleted(long timestamp) => timeline?.TickCompleted(timestamp);

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

    // "thread TID NAME": the name as the process reports it now (looked up in a cache the sampler refreshes rarely).
    private int ThreadFrame(IProcessSampler process, ThreadStack stack)
    {
        var tid = stack.NativeThreadId;
        var name = process.ThreadName(stack) ?? "";
        if (!_threadIds.TryGetValue((process.ProcessId, tid), out var known) || known.Name != name)
        {
            known = (name, builder.InternThread(tid != 0 ? tid : (long)(stack.ThreadId & 0x7FFF_FFFF_FFFF_FFFF), name));
            _threadIds[(process.ProcessId, tid)] = known;
        }
        return known.Id;
    }

    // By reference: the stack's frames are never compared, and the process matters for its root frame.
    private readonly struct StackKey(IProcessSampler process, ThreadStack stack, int threadFrame) : IEquatable<StackKey>
    {
        private readonly IProcessSampler _process = process;
        private readonly ThreadStack _stack = stack;

        public int ThreadFrame { get; } = threadFrame;

        public bool Equals(StackKey other) =>
            ReferenceEquals(_process, other._process) && ReferenceEquals(_stack, other._stack) && ThreadFrame == other.ThreadFrame;

        public override bool Equals(object? obj) => obj is StackKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(_process), RuntimeHelpers.GetHashCode(_stack), ThreadFrame);
    }
}

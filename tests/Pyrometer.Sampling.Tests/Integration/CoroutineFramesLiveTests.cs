using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>
/// What the blocked-loop tracker relies on, read from a live loop (Scripts/loop_blocks.py, asyncio's own
/// loop): a coroutine's frame is marked async (<c>co_flags</c>) and ordinary frames are not, and tasks
/// of one coroutine function, run one after another, are told apart by their frames' addresses.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CoroutineFramesLiveTests
{
    [PythonTheory(MinVersion = "3.8")]
    public async Task Sample_TasksOfOneCoroutineFunction_AreAsyncFramesAtAddressesOfTheirOwn(TestPython python)
    {
        using var target = await PythonProcess.StartAsync(python, "loop_blocks", ["--loop", "asyncio"]);
        var sampler = PythonProcessProbe.Create().TryAttach(target.Pid, out var error);
        Assert.True(sampler is not null, error?.Message);
        using (sampler)
        {
            var burst = target.SendAsync("burst 4");   // four tasks, 0.5 s each, back to back
            var addresses = new List<ulong>();
            var stacks = new List<ThreadStack>();
            while (!burst.IsCompleted)
            {
                stacks.Clear();
                sampler.Sample(stacks);
                foreach (var stack in stacks.Where(s => s.NativeThreadId == target.Pid))
                {
                    var index = stack.Frames.ToList().FindIndex(f => f.Name == "burst_request");
                    if (index < 0 || stack.Frames[0].Name != "blocking_io")
                    {
                        continue;
                    }
                    Assert.True(stack.Frames[index].IsAsync, "burst_request is a coroutine");
                    Assert.All(stack.Frames.Where(f => f.Name is "blocking_io" or "timed" or "run_loop" or "<module>"), f => Assert.False(f.IsAsync, f.Name));
                    Assert.NotNull(stack.FrameAddresses);
                    Assert.Equal(stack.Frames.Count, stack.FrameAddresses.Count);
                    Assert.All(stack.FrameAddresses, a => Assert.NotEqual(0UL, a));
                    if (addresses.Count == 0 || addresses[^1] != stack.FrameAddresses[index])
                    {
                        addresses.Add(stack.FrameAddresses[index]);
                    }
                }
                await Task.Delay(20);
            }
            var blocks = (await burst).GetProperty("blocks").GetArrayLength();

            Assert.Equal(4, blocks);
            // Each task's coroutine frame has its own address while it runs: one change per task seen, never back.
            Assert.True(addresses.Count >= 2, $"burst_request seen at {addresses.Count} address(es)");
            Assert.Equal(addresses.Count, addresses.Distinct().Count());
        }
    }
}

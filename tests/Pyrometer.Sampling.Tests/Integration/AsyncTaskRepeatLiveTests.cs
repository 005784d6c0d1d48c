using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Tests.Live;

namespace Pyrometer.Sampling.Tests.Integration;

/// <summary>
/// The task readers tick after tick, as a recording runs them: a parked task is handed back as the same
/// instance (nothing re-resolved), and a task that moves between two awaits is never shown where it was.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AsyncTaskRepeatLiveTests
{
    [PythonTheory]
    public async Task ReadTasks_ParkedTasksTickAfterTick_SameInstancesAsTheFirstTick(TestPython python)
    {
        using var target = await LiveTarget.StartAsync(python, "async_registry_tasks");
        var first = await ReadUntilAsync(target, tasks => tasks.Any(t => t.Name == "nested"));
        var nested = first.Single(t => t.Name == "nested");
        Assert.Equal(["leaf", "middle", "waiter"], nested.Frames.Select(f => f.Name));

        for (var tick = 0; tick < 5; tick++)
        {
            var again = ReadOnce(target);
            Assert.Same(nested, again.Single(t => t.Name == "nested"));
        }
    }

    [PythonTheory]
    public async Task ReadTasks_TaskMovingBetweenTwoAwaits_EachTickShowsWhereItIsThen(TestPython python)
    {
        using var target = await LiveTarget.StartAsync(python, "async_shares");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var tick = 0; tick < 400 && seen.Count < 2; tick++)
        {
            var split = ReadOnce(target).SingleOrDefault(t => t.Name == "split");
            if (split is not null && split.RunningOnThread == 0)
            {
                // Innermost first: asyncio.sleep, then long_wait or short_wait, then split itself.
                var names = split.Frames.Select(f => f.Name).ToArray();
                Assert.True(names is ["sleep", "long_wait" or "short_wait", "split"], $"split read as {string.Join(" <- ", names)} on Python {python.Version}");
                Assert.Equal("Future", split.AwaitedType);
                seen.Add(names[1]);
            }
            await Task.Delay(7);
        }
        Assert.Equal(["long_wait", "short_wait"], seen.Order(StringComparer.Ordinal));
    }

    private static List<AsyncTask> ReadOnce(LiveTarget target)
    {
        var tasks = new List<AsyncTask>();
        target.SampleOnce();                          // as a tick does: the thread states first
        Assert.True(target.Sampler.ReadTasks(tasks, out var problem), problem);
        return tasks;
    }

    private static async Task<List<AsyncTask>> ReadUntilAsync(LiveTarget target, Func<List<AsyncTask>, bool> done)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var tasks = ReadOnce(target);
            if (done(tasks))
            {
                return tasks;
            }
            await Task.Delay(10);
        }
        throw new InvalidOperationException("the tasks were not all read within 200 ticks");
    }
}

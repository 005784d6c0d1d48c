namespace Pyrometer.Sampling.Python.Async;

/// <summary>One asyncio task of the target at one instant, as read from outside.</summary>
/// <param name="Address">The task object's address: its identity while it lives.</param>
/// <param name="Name">The task's name (<c>Task-3</c>, or the one given to <c>create_task</c>); capped, never empty.</param>
/// <param name="Frames">The task's await chain, innermost first: the coroutine that waits deepest first, the task's own coroutine last.</param>
/// <param name="AwaitedType">The type name of what the innermost coroutine awaits when it is not a coroutine (<c>Future</c>, <c>_GatheringFuture</c>, <c>Task</c>); null when unknown or running.</param>
/// <param name="ParentAddress">The task that awaits this one (directly, through gather or a TaskGroup), or 0.</param>
/// <param name="RunningOnThread">The interpreter thread id (<c>pthread_t</c>) currently running this task, or 0 when it is suspended.</param>
/// <param name="LoopThread">The thread id (<c>pthread_t</c>) whose event loop holds the task (the loop's <c>_thread_id</c>, or on 3.14+ the thread whose task list holds it), or 0 when unknown (a loop that is not running).</param>
internal sealed record AsyncTask(ulong Address, string Name, IReadOnlyList<PythonFrame> Frames, string? AwaitedType, ulong ParentAddress, ulong RunningOnThread, ulong LoopThread = 0);

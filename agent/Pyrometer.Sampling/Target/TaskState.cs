namespace Pyrometer.Sampling.Target;

/// <summary>One thread (task) of a process and its scheduler state letter from <c>/proc/PID/task/TID/stat</c>.</summary>
internal readonly record struct TaskState(int ThreadId, char State)
{
    public bool IsRunning => State == 'R';
}

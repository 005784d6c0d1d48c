namespace Pyrometer.Operator.Tests;

/// <summary>A hang guard for awaits on background work; never an assertion about speed.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    public static Task<T> Guard<T>(this Task<T> task) => task.WaitAsync(Hang);

    public static Task Guard(this Task task) => task.WaitAsync(Hang);
}

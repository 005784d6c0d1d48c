using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Tests.Model;

public sealed class ProfileBuilderTests
{
    [Fact]
    public void Intern_SameFrameTwice_ReturnsSameId()
    {
        var builder = new ProfileBuilder();

        var first = builder.InternPython("f", "a.py", 1);
        var second = builder.InternPython("f", "a.py", 1);

        Assert.Equal(first, second);
        Assert.Equal(1, builder.FrameCount);
    }

    [Fact]
    public void Build_DifferentArrivalOrder_SameCanonicalProfile()
    {
        var a = new ProfileBuilder();
        var b = new ProfileBuilder();
        var fa = new[] { a.InternPython("z", "z.py", 1), a.InternPython("a", "a.py", 1), a.InternPython("m", "m.py", 1) };
        var fb = new[] { b.InternPython("m", "m.py", 1), b.InternPython("a", "a.py", 1), b.InternPython("z", "z.py", 1) };

        a.AddSample([fa[0], fa[2]], 2);
        a.AddSample([fa[1]], 1);
        b.AddSample([fb[1]], 1);
        b.AddSample([fb[2], fb[0]], 2);

        var pa = a.Build(ProfileMetadata.None);
        var pb = b.Build(ProfileMetadata.None);
        Assert.Equal(pa.Frames.Select(f => f.Text), pb.Frames.Select(f => f.Text));
        Assert.Equal(["a (a.py:1)", "m (m.py:1)", "z (z.py:1)"], pa.Frames.Select(f => f.Text));
        Assert.Equal(pa.StackCount, pb.StackCount);
        for (var i = 0; i < pa.StackCount; i++)
        {
            Assert.Equal(pa.GetStack(i).ToArray(), pb.GetStack(i).ToArray());
            Assert.Equal(pa.GetCount(i), pb.GetCount(i));
        }
        Assert.Equal(3, pa.TotalSamples);
    }

    [Fact]
    public void AddSample_UnknownFrameId_ThrowsNamingDepth()
    {
        var builder = new ProfileBuilder();
        var f = builder.InternPython("f", "a.py", 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddSample([f, 99]));

        Assert.Contains("depth 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSample_BadWeightOrEmptyStack_Throws()
    {
        var builder = new ProfileBuilder();
        var f = builder.InternPython("f", "a.py", 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddSample([f], 0));
        Assert.Throws<ArgumentException>(() => builder.AddSample([]));
    }

    [Fact]
    public void AddSample_PseudoFrameBelowPython_Throws()
    {
        var builder = new ProfileBuilder();
        var f = builder.InternPython("f", "a.py", 1);
        var process = builder.InternProcess(7, "python");
        var thread = builder.InternThread(8, "");

        Assert.Throws<ArgumentException>(() => builder.AddSample([f, process]));
        Assert.Throws<ArgumentException>(() => builder.AddSample([f, thread]));
        builder.AddSample([process, thread, f]);
        builder.AddSample([thread, f]);
        Assert.Equal(2, builder.StackCount);
    }

    [Fact]
    public void AddSample_SteadyState_AllocatesNothing()
    {
        var builder = new ProfileBuilder();
        var process = builder.InternProcess(7, "python app.py");
        int[] stack = [process, builder.InternPython("main", "app.py", 1), builder.InternPython("work", "app.py", 9)];
        builder.AddSample(stack);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            builder.AddSample(stack);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001, builder.TotalSamples);
    }

    [Fact]
    public void Build_Empty_IsEmptyProfile()
    {
        var profile = new ProfileBuilder().Build(ProfileMetadata.None);

        Assert.True(profile.IsEmpty);
        Assert.Equal(0, profile.StackCount);
    }
}

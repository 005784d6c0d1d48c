using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Introspection;
using Pyrometer.Sampling.Python.Objects;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python.Objects;

/// <summary>The object readers over hostile memory: garbage sizes, huge lengths and cycles give false or null, quickly.</summary>
public sealed class ObjectReaderRobustnessTests
{
    private const ulong Base = 0x10000;
    private const ulong StrType = Base + 0x100;
    private const ulong DictType = Base + 0x200;
    private const ulong IntType = Base + 0x300;
    private const ulong Names = Base + 0x400;
    private const ulong Objects = Base + 0x1000;
    private const int Size = 0x10000;

    private readonly byte[] _image = new byte[Size];
    private readonly FakeProcessMemory _memory = new();
    private readonly ObjectReader _reader;

    public ObjectReaderRobustnessTests()
    {
        _memory.Map(Base, _image);
        var layout = KnownLayouts.For(Versions.Parse("3.12.1"), out _)!;
        _reader = new ObjectReader(_memory, ObjectLayout.For(layout, _memory, 0)!);
        Type(StrType, "str", 0);
        Type(DictType, "dict", 16);
        Type(IntType, "int", 32);
    }

    [Fact]
    public void TryReadString_HugeOrNegativeLength_IsCappedOrRejected()
    {
        var text = Objects;
        Put(text + 8, StrType);
        Put(text + 16, 1UL << 40);                       // a trillion characters
        Put32(text + 32, (1u << 2) | (1u << 5) | (1u << 6)); // kind 1, compact, ascii
        Encoding.ASCII.GetBytes("abcdef").CopyTo(_image, (int)(text + 40 - Base));

        Assert.True(_reader.TryReadString(text, 4, out var cut, out var length));
        Assert.Equal(("abcd", 1L << 40), (cut, length));

        Put(text + 16, ulong.MaxValue);                  // -1
        Assert.False(_reader.TryReadString(text, 4, out _, out _));
    }

    [Theory]
    [InlineData(200, 200, 1, 4)]                         // log2 size beyond any dict
    [InlineData(3, 3, 1, 1L << 40)]                      // more entries than slots
    [InlineData(3, 3, 7, 4)]                             // an unknown kind
    [InlineData(3, 40, 1, 4)]                            // an index table larger than its slots allow
    public void TryReadDictEntries_GarbageKeysHeader_IsRejected(byte log2Size, byte log2Index, byte kind, long entries)
    {
        var dict = Objects;
        var keys = Objects + 0x100;
        Put(dict + 8, DictType);
        Put(dict + 32, keys);
        _image[keys + 8 - Base] = log2Size;
        _image[keys + 9 - Base] = log2Index;
        _image[keys + 10 - Base] = kind;
        Put(keys + 24, (ulong)entries);

        Assert.False(_reader.TryReadDictEntries(dict, ObjectReader.MaxDictEntries, []));
        Assert.False(_reader.TryGetDictItem(dict, "threading", out _));
    }

    [Fact]
    public void TryGetDictItem_KeyUnmappedBeforeTheMatch_StillFindsIt()
    {
        var dict = Objects;
        var keys = Objects + 0x100;
        Put(dict + 8, DictType);
        Put(dict + 32, keys);
        _image[keys + 8 - Base] = 3;                     // 8 slots, one-byte indices, str keys
        _image[keys + 9 - Base] = 3;
        _image[keys + 10 - Base] = 1;
        Put(keys + 24, 3);
        var entries = keys + 32 + 8;
        Put(entries, 0xdead_0000);                       // a key that is not mapped at all
        Put(entries + 8, 1);
        Put(entries + 16, Str(Objects + 0x200, "_activ"));
        Put(entries + 24, 2);
        Put(entries + 32, Str(Objects + 0x300, "_active"));
        Put(entries + 40, 3);

        Assert.True(_reader.TryGetDictItem(dict, "_active", out var value));
        Assert.Equal(3UL, value);
        Assert.False(_reader.TryGetDictItem(dict, "_missing", out _));
    }

    [Fact]
    public void ThreadNamesAndLocals_InterpreterAndFrameCycles_EndWithoutResult()
    {
        // _PyRuntime's interpreters head → an interpreter whose next is itself and whose modules is itself.
        var layout = _reader.Layout;
        var runtime = Objects;
        var interpreter = Objects + 0x800;
        Put(runtime + (ulong)layout.Python.RuntimeInterpretersHead, interpreter);
        Put(interpreter + (ulong)layout.Python.InterpreterNext, interpreter);
        Put(interpreter + (ulong)layout.Python.InterpreterThreadsHead, interpreter + 0x400);
        var thread = interpreter + 0x400;
        Put(thread + (ulong)layout.Python.ThreadNext, thread);   // a thread list that loops
        Put(thread + (ulong)layout.Python.ThreadId, 77);

        var names = new Dictionary<ulong, string>();
        Assert.False(new ThreadNameReader(_reader, runtime).TryRead(names));
        Assert.Empty(names);
        Assert.Null(new FrameLocalsReader(_reader, runtime).Read(12345));   // no such thread, list loops

        // The thread's frame chain loops on itself.
        var cframe = thread + 0x100;
        Put(thread + (ulong)layout.Python.ThreadFrame, cframe);
        Put(cframe + (ulong)layout.Python.CFrameCurrentFrame, cframe + 0x80);
        var frame = cframe + 0x80;
        Put(frame + (ulong)layout.Python.FramePrevious, frame);
        _image[frame + (ulong)layout.Python.FrameOwner - Base] = 3;   // a C-stack shim, skipped: only the cycle ends the walk
        Assert.Null(new FrameLocalsReader(_reader, runtime).Read(77));
    }

    [Fact]
    public void EveryReader_RandomMemory_NeverThrowsAndEndsQuickly()
    {
        var random = new Random(1234);
        var watch = Stopwatch.StartNew();
        for (var round = 0; round < 200; round++)
        {
            var region = _image.AsSpan((int)(Objects - Base));
            random.NextBytes(region);
            // Plant pointers back into the image, so the readers follow them far (types, keys, names).
            for (var i = 0; i < 400; i++)
            {
                var at = Objects + (ulong)random.Next(0, region.Length - 8) & ~7UL;
                Put(at, random.Next(3) switch
                {
                    0 => StrType,
                    1 => DictType,
                    _ => Objects + (ulong)random.Next(0, region.Length) & ~7UL,
                });
            }
            var obj = Objects + (ulong)random.Next(0, region.Length - 64) & ~7UL;
            _reader.TryReadString(obj, 64, out _, out _);
            _reader.TryReadInt(obj, out _);
            _reader.TryReadDictEntries(obj, 100, []);
            _reader.TryGetDictItem(obj, "_active", out _);
            _reader.TryGetAttribute(obj, "_name", out _);
            new ValueFormatter(_reader).Format(obj);
            new ThreadNameReader(_reader, obj).TryRead([]);
            new FrameLocalsReader(_reader, obj).Read(BinaryPrimitives.ReadUInt64LittleEndian(region[..8]));
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"200 rounds took {watch.Elapsed}");
    }

    private ulong Str(ulong at, string text)
    {
        Put(at + 8, StrType);
        Put(at + 16, (ulong)text.Length);
        Put32(at + 32, (1u << 2) | (1u << 5) | (1u << 6));
        Encoding.ASCII.GetBytes(text).CopyTo(_image, (int)(at + 40 - Base));
        return at;
    }

    private void Type(ulong type, string name, int nameAt)
    {
        var text = Names + (ulong)nameAt;
        Encoding.ASCII.GetBytes(name + "\0").CopyTo(_image, (int)(text - Base));
        Put(type + 24, text);
    }

    private void Put(ulong address, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(_image.AsSpan((int)(address - Base), 8), value);

    private void Put32(ulong address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_image.AsSpan((int)(address - Base), 4), value);
}

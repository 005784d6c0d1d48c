namespace Pyrometer.Rendering.Model;

/// <summary>
/// Counts per unique stack. All stacks live in one pooled int array and an open-addressing table finds
/// them by content, so adding a stack that was seen before allocates nothing.
/// </summary>
internal sealed class StackTable
{
    private const int InitialBuckets = 1024;

    private int[] _pool = new int[4096];
    private int _poolLength;
    private int[] _offsets = new int[256];
    private int[] _lengths = new int[256];
    private int[] _hashes = new int[256];
    private long[] _counts = new long[256];
    private int _count;
    private int[] _buckets = new int[InitialBuckets];   // stack index + 1; 0 is an empty bucket

    public int Count => _count;

    public ReadOnlySpan<int> GetStack(int index) => _pool.AsSpan(_offsets[index], _lengths[index]);

    public long GetCount(int index) => _counts[index];

    /// <summary>Adds samples of a stack; returns its index, for <see cref="AddTo"/>.</summary>
    public int Add(ReadOnlySpan<int> stack, long weight)
    {
        var hash = Hash(stack);
        var mask = _buckets.Length - 1;
        var bucket = hash & mask;
        while (true)
        {
            var entry = _buckets[bucket];
            if (entry == 0)
            {
                break;
            }
            var index = entry - 1;
            if (_hashes[index] == hash && GetStack(index).SequenceEqual(stack))
            {
                _counts[index] += weight;
                return index;
            }
            bucket = (bucket + 1) & mask;
        }

        Append(stack, hash, weight);
        _buckets[bucket] = _count;
        if (_count * 2 > _buckets.Length)
        {
            Rehash(_buckets.Length * 2);
        }
        return _count - 1;
    }

    /// <summary>Adds samples to a stack already in the table.</summary>
    public void AddTo(int index, long weight)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        _counts[index] += weight;
    }

    private void Append(ReadOnlySpan<int> stack, int hash, long weight)
    {
        if (_poolLength + stack.Length > _pool.Length)
        {
            Array.Resize(ref _pool, Math.Max(_pool.Length * 2, _poolLength + stack.Length));
        }
        stack.CopyTo(_pool.AsSpan(_poolLength));
        if (_count == _offsets.Length)
        {
            var size = _count * 2;
            Array.Resize(ref _offsets, size);
            Array.Resize(ref _lengths, size);
            Array.Resize(ref _hashes, size);
            Array.Resize(ref _counts, size);
        }
        _offsets[_count] = _poolLength;
        _lengths[_count] = stack.Length;
        _hashes[_count] = hash;
        _counts[_count] = weight;
        _poolLength += stack.Length;
        _count++;
    }

    private void Rehash(int size)
    {
        var buckets = new int[size];
        var mask = size - 1;
        for (var index = 0; index < _count; index++)
        {
            var bucket = _hashes[index] & mask;
            while (buckets[bucket] != 0)
            {
                bucket = (bucket + 1) & mask;
            }
            buckets[bucket] = index + 1;
        }
        _buckets = buckets;
    }

    // Only used to find equal stacks inside this table, never in output, so any good mix will do.
    private static int Hash(ReadOnlySpan<int> stack)
    {
        var hash = (uint)stack.Length * 0x9E3779B1u;
        foreach (var id in stack)
        {
            hash = (uint.RotateLeft(hash, 5) ^ (uint)id) * 0x9E3779B1u;
        }
        return (int)((hash ^ (hash >> 15)) & 0x7FFFFFFF);
    }
}

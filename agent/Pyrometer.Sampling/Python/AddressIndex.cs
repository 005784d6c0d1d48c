namespace Pyrometer.Sampling.Python;

/// <summary>
/// Addresses and a value each (a batch index, a slot), looked up in about the order they were added:
/// a thread list is walked in the same order sample after sample, so the next entry is checked first
/// and a dictionary is built only when the order changed. Steady state: no hashing, no clearing.
/// </summary>
internal sealed class AddressIndex
{
    private readonly Dictionary<ulong, int> _slots = [];
    private ulong[] _addresses = new ulong[16];
    private int[] _values = new int[16];
    private int _count;
    private int _cursor;
    private bool _indexed;

    public int Count => _count;

    public void Clear()
    {
        _count = 0;
        _cursor = 0;
        _indexed = false;
    }

    public void Add(ulong address, int value)
    {
        if (_count == _addresses.Length)
        {
            Array.Resize(ref _addresses, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }
        _addresses[_count] = address;
        _values[_count++] = value;
    }

    /// <summary>The value added with an address (either one, if it was added twice: both name the same memory).</summary>
    public bool TryGet(ulong address, out int value)
    {
        if (_cursor < _count && _addresses[_cursor] == address)
        {
            value = _values[_cursor++];
            return true;
        }
        if (!_indexed)
        {
            _slots.Clear();
            for (var i = 0; i < _count; i++)
            {
                _slots.TryAdd(_addresses[i], i);
            }
            _indexed = true;
        }
        if (_slots.TryGetValue(address, out var slot))
        {
            _cursor = slot + 1;
            value = _values[slot];
            return true;
        }
        value = -1;
        return false;
    }
}

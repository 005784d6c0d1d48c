using System.Security.Cryptography;
using Pyrometer.Agent.Session;

namespace Pyrometer.Agent.Tests.Session;

public sealed class Sha256Tests
{
    [Fact]
    public void Hash_Abc_MatchesTheStandardsExample()
    {
        // FIPS 180-4's worked example for the message "abc".
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            Convert.ToHexStringLower(Sha256.Hash("abc"u8)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)]    // the last length whose padding fits in one block
    [InlineData(56)]    // the first that needs a second block
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(200_003)]
    public void Hash_AnyLength_MatchesThePlatform(int length)
    {
        var data = Pattern(length);
        Assert.Equal(SHA256.HashData(data), Sha256.Hash(data));
    }

    [Fact]
    public void Append_InUnevenPieces_SameAsAllAtOnce()
    {
        var data = Pattern(5000);
        var hash = new Sha256();
        var at = 0;
        foreach (var piece in (int[])[1, 63, 2, 64, 100, 7, 0, 129])
        {
            hash.Append(data.AsSpan(at, piece));
            at += piece;
        }
        hash.Append(data.AsSpan(at));
        Assert.Equal(SHA256.HashData(data), hash.Finish());
    }

    [Fact]
    public void Hash_Stream_MatchesThePlatform()
    {
        var data = Pattern(150_000);
        using var stream = new MemoryStream(data);
        Assert.Equal(SHA256.HashData(data), Sha256.Hash(stream));
    }

    [Fact]
    public void Finish_Twice_Throws()
    {
        var hash = new Sha256();
        hash.Finish();
        Assert.Throws<InvalidOperationException>(() => hash.Finish());
    }

    private static byte[] Pattern(int length)
    {
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = unchecked((byte)(i * 31 + (i >> 8)));
        }
        return data;
    }
}

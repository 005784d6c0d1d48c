using System.Web;

namespace Pyrometer.Operator.Storage.Tests.Storage;

public sealed class UrlSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private static readonly UrlSigner Signer = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Check_WhatItSigned_IsValid()
    {
        var (expires, nonce, signature) = Sign("PUT", "shop/req/merged/flamegraph.svg");

        Assert.Equal(SignatureVerdict.Valid, Signer.Check("PUT", "shop/req/merged/flamegraph.svg", expires, nonce, signature, Now));
    }

    [Theory]
    [InlineData("GET", "shop/req/merged/flamegraph.svg")]
    [InlineData("PUT", "shop/req/merged/speedscope.json")]
    [InlineData("PUT", "shop/req2/merged/flamegraph.svg")]
    public void Check_OtherMethodOrPath_IsForged(string method, string path)
    {
        var (expires, nonce, signature) = Sign("PUT", "shop/req/merged/flamegraph.svg");

        Assert.Equal(SignatureVerdict.Forged, Signer.Check(method, path, expires, nonce, signature, Now));
    }

    [Fact]
    public void Check_ExpiryOrNonceChanged_IsForged()
    {
        var (expires, nonce, signature) = Sign("PUT", "a/b/merged/f.svg");
        var later = (long.Parse(expires, System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(SignatureVerdict.Forged, Signer.Check("PUT", "a/b/merged/f.svg", later, nonce, signature, Now));
        Assert.Equal(SignatureVerdict.Forged, Signer.Check("PUT", "a/b/merged/f.svg", expires, UrlSigner.NewNonce(), signature, Now));
    }

    [Fact]
    public void Check_OtherKey_IsForged()
    {
        var (expires, nonce, signature) = Sign("PUT", "a/b/merged/f.svg");
        var other = new UrlSigner(new byte[32]);

        Assert.Equal(SignatureVerdict.Forged, other.Check("PUT", "a/b/merged/f.svg", expires, nonce, signature, Now));
    }

    [Fact]
    public void Check_AtOrAfterExpiry_IsExpired()
    {
        var (expires, nonce, signature) = Sign("PUT", "a/b/merged/f.svg");

        Assert.Equal(SignatureVerdict.Valid, Signer.Check("PUT", "a/b/merged/f.svg", expires, nonce, signature, Now.AddSeconds(299)));
        Assert.Equal(SignatureVerdict.Expired, Signer.Check("PUT", "a/b/merged/f.svg", expires, nonce, signature, Now.AddSeconds(300)));
    }

    [Theory]
    [InlineData(null, "AAAAAAAAAAAAAAAAAAAAAA", "sig")]
    [InlineData("-5", "AAAAAAAAAAAAAAAAAAAAAA", "sig")]
    [InlineData("12x", "AAAAAAAAAAAAAAAAAAAAAA", "sig")]
    [InlineData("1800000000", "../../etc/passwd", "sig")]
    [InlineData("1800000000", "short", "sig")]
    [InlineData("1800000000", "AAAAAAAAAAAAAAAAAAAAAA", null)]
    [InlineData("1800000000", "AAAAAAAAAAAAAAAAAAAAAA", "not base64url!")]
    public void Check_MissingOrMalformedParameter_IsMalformed(string? expires, string? nonce, string? signature)
    {
        Assert.Equal(SignatureVerdict.Malformed, Signer.Check("PUT", "a/b/merged/f.svg", expires, nonce, signature, Now));
    }

    [Fact]
    public void NewNonce_IsWellFormedAndFresh()
    {
        var nonces = Enumerable.Range(0, 100).Select(_ => UrlSigner.NewNonce()).ToList();

        Assert.All(nonces, nonce => Assert.True(UrlSigner.IsWellFormedNonce(nonce), nonce));
        Assert.Equal(100, nonces.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Constructor_ShortKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new UrlSigner(new byte[31]));
    }

    [Theory]
    [InlineData("AAAA", false)]
    [InlineData("not base64", false)]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true)]
    public void TryDecodeKey_RequiresBase64OfAtLeast32Bytes(string text, bool valid)
    {
        Assert.Equal(valid, UrlSigner.TryDecodeKey(text, out _));
    }

    private static (string Expires, string Nonce, string Signature) Sign(string method, string path)
    {
        var query = HttpUtility.ParseQueryString(Signer.SignQuery(method, path, Now.AddMinutes(5), UrlSigner.NewNonce()));
        return (query["expires"]!, query["nonce"]!, query["signature"]!);
    }
}

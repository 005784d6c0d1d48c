using System.Net;
using System.Net.Http.Headers;
using System.Text;
using k8s.Autorest;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Serialization;

namespace Pyrometer.Kube.Tests.Api;

public sealed class KubeStatusTests
{
    [Fact]
    public void Parse_ServerStatus_ReturnsIt()
    {
        var status = KubeStatus.Parse(
            HttpStatusCode.NotFound, """{"kind":"Status","status":"Failure","reason":"NotFound","code":404}"""u8, KubeJson.Default);

        Assert.Equal("NotFound", status!.Reason);
    }

    [Fact]
    public void Parse_BareNotFound_ReturnsNullSoAMissingTypeIsNotAMissingObject()
    {
        Assert.Null(KubeStatus.Parse(HttpStatusCode.NotFound, "404 page not found\n"u8, KubeJson.Default));
        Assert.Null(KubeStatus.Parse(HttpStatusCode.NotFound, """{"kind":"Other"}"""u8, KubeJson.Default));
        Assert.Null(KubeStatus.Parse(HttpStatusCode.NotFound, ""u8, KubeJson.Default));
    }

    [Fact]
    public void Parse_ProxyText_KeepsACappedExcerpt()
    {
        var text = "bad gateway " + new string('x', 2000);

        var status = KubeStatus.Parse(HttpStatusCode.BadGateway, Encoding.UTF8.GetBytes(text), KubeJson.Default);

        Assert.StartsWith("bad gateway", status!.Message, StringComparison.Ordinal);
        Assert.Equal(512, status.Message.Length);
        Assert.Null(status.Reason);
    }

    [Fact]
    public void From_ClientException_MapsCodeStatusVerbAndPath()
    {
        var exception = new HttpOperationException("ignored")
        {
            Response = new HttpResponseMessageWrapper(
                new HttpResponseMessage(HttpStatusCode.UnprocessableEntity) { Content = new StringContent("") { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } },
                """{"kind":"Status","status":"Failure","reason":"Invalid","message":"spec.durationSeconds: Invalid value","code":422}"""),
        };

        var error = KubeApiException.From(exception, "PATCH", "/apis/g.dev/v1/namespaces/a/things/b", KubeJson.Default);

        Assert.True(error.IsInvalid);
        Assert.Equal("Invalid", error.Reason);
        Assert.Equal("PATCH /apis/g.dev/v1/namespaces/a/things/b failed with 422 Invalid: spec.durationSeconds: Invalid value", error.Message);
    }
}

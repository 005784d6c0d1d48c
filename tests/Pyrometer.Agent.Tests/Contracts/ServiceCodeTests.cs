using Pyrometer.Agent.Contracts;

namespace Pyrometer.Agent.Tests.Contracts;

public sealed class ServiceCodeTests
{
    [Theory]
    [InlineData("/app/app.py", true)]
    [InlineData("/srv/service/handlers/listings.py", true)]
    [InlineData("app.py", true)]
    [InlineData("/usr/lib/python3/dist-packages/uvicorn/main.py", false)]
    [InlineData("/usr/local/lib/python3.12/site-packages/starlette/routing.py", false)]
    [InlineData("/usr/lib/python3.11/asyncio/events.py", false)]
    [InlineData("/root/.pyenv/versions/3.9.18/lib/python3.9/threading.py", false)]
    [InlineData("/usr/lib64/python3.12/socket.py", false)]
    [InlineData("<frozen importlib._bootstrap>", false)]
    [InlineData("", false)]
    public void IsService_ByTheFileTheCodeCameFrom(string file, bool expected) =>
        Assert.Equal(expected, ServiceCode.IsService(file));

    [Theory]
    [InlineData("quote (/app/app.py:61)", "/app/app.py")]
    [InlineData("sleep (/usr/lib/python3.11/asyncio/tasks.py)", "/usr/lib/python3.11/asyncio/tasks.py")]
    [InlineData("Outer.inner (C:/odd (name).py:7)", "C:/odd (name).py")]
    [InlineData("no location", "")]
    public void FileOf_TheFileOfAFrameText(string frame, string expected) =>
        Assert.Equal(expected, ServiceCode.FileOf(frame));
}

using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Tests.Fakes;

namespace Pyrometer.Sampling.Tests.Python;

/// <summary>A small synthetic process: a main thread and a worker that holds the GIL, with non-ASCII names.</summary>
internal sealed class Scene
{
    private Scene(PythonImageBuilder image) => Image = image;

    public PythonImageBuilder Image { get; }

    public ulong Interpreter { get; private set; }

    public ulong Main { get; private set; }

    public ulong Worker { get; private set; }

    public ulong WorkCode { get; private set; }

    public static Scene TwoThreads(PythonVersion version)
    {
        var image = new PythonImageBuilder(version);
        var scene = new Scene(image) { Interpreter = image.Interpreter() };
        var module = image.Code("<module>", "<module>", "/app/main.py", 1, [1, 1, 2, 2, 3, 3, 5, 5]);
        var run = image.Code("run", "Server.run", "/app/server.py", 10, [10, 11, 11, 12, 13, 13]);
        scene.WorkCode = image.Code("работа", "Worker.работа", "/app/wörk_😀.py", 20, [20, 21, 22, 23]);
        scene.Main = image.Thread(scene.Interpreter, image.Memory.ProcessId, [new(run, 3), new(module, 6)]);
        scene.Worker = image.Thread(scene.Interpreter, 4243, [new(scene.WorkCode, 2), new(run, 1), new(module, -1)]);
        image.HoldGil(scene.Interpreter, scene.Worker);
        return scene;
    }

    public StackWalker Walker() => new(Image.Memory, Image.Location(), Image.Layout);

    public ulong InnermostFrame(ulong tstate)
    {
        var frame = Image.ReadU64(tstate + (ulong)Image.Layout.ThreadFrame);
        return Image.Layout.CFrameCurrentFrame >= 0 ? Image.ReadU64(frame + (ulong)Image.Layout.CFrameCurrentFrame) : frame;
    }
}

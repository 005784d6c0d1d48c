using SharpFuzz;

namespace Pyrometer.Sampling.Fuzz;

/// <summary>
/// <c>fuzz elf|linetable|walker|canary</c> serves afl-fuzz (input on stdin, SharpFuzz's fork server);
/// <c>seeds DIR [LINETABLE-ASSETS]</c> writes the starting corpora; <c>replay HARNESS FILE...</c> runs
/// saved inputs once each, outside afl, and prints what happened (to reproduce a crash).
/// </summary>
internal static class Program
{
    // Inputs past this are cut: afl-fuzz's own limit is 1 MB and the harnesses need far less.
    private const int MaxInput = 1 << 20;

    private static int Main(string[] args)
    {
        if (args is ["seeds", var directory, ..])
        {
            Seeds.Write(directory, args.Length > 2 ? args[2] : null);
            return 0;
        }
        if (args is ["fuzz", var name] && Find(name) is { } harness)
        {
            Fuzzer.OutOfProcess.Run(stream => harness(ReadInput(stream)));
            return 0;
        }
        if (args is ["replay", var replayName, ..] && Find(replayName) is { } replayed)
        {
            var failures = 0;
            foreach (var path in args.Skip(2))
            {
                try
                {
                    var note = replayed(File.ReadAllBytes(path));
                    Console.WriteLine($"ok       {path} {note}");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failures++;
                    Console.WriteLine($"CRASH    {path}: {e}");
                }
            }
            return failures == 0 ? 0 : 1;
        }
        Console.Error.WriteLine("usage: fuzz elf|linetable|walker | seeds DIR [LINETABLE-ASSETS] | replay HARNESS FILE...");
        return 2;
    }

    private static Func<byte[], string>? Find(string name) => name switch
    {
        "elf" => input =>
        {
            Harnesses.Elf(input);
            return "";
        },
        "linetable" => input =>
        {
            Harnesses.LineTables(input);
            return "";
        },
        "walker" => input => $"{Harnesses.Walker(input)} threads",
        "canary" => input =>
        {
            Harnesses.Canary(input);
            return "";
        },
        _ => null,
    };

    private static byte[] ReadInput(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.Length > MaxInput ? buffer.GetBuffer()[..MaxInput] : buffer.ToArray();
    }
}

namespace Pyrometer.Operator.Crd;

/// <summary><c>pyrometer-operator crd [--output FILE]</c>: prints the CRD, or writes it to a file.</summary>
internal static class CrdCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? path = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-o" or "--output" when i + 1 < args.Count:
                    path = args[++i];
                    break;
                case "-h" or "--help":
                    output.WriteLine("usage: pyrometer-operator crd [--output FILE]   print the ProfileRequest CRD, or write it to FILE");
                    return 0;
                default:
                    error.WriteLine($"pyrometer-operator crd: unexpected argument '{args[i]}' (usage: pyrometer-operator crd [--output FILE])");
                    return 2;
            }
        }
        var yaml = CrdGenerator.GenerateYaml();
        if (path is null)
        {
            output.Write(yaml);
            return 0;
        }
        File.WriteAllText(path, yaml);
        output.WriteLine($"wrote {path}");
        return 0;
    }
}

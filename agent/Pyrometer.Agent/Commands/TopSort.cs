namespace Pyrometer.Agent.Commands;

/// <summary>The column <c>top</c> sorts by: <c>--sort</c>, or keys 1–5 while it runs (as py-spy's top).</summary>
internal enum TopSort
{
    /// <summary>%Own: share of the last interval's samples in the function itself.</summary>
    Own,

    /// <summary>%Total: share of the last interval's samples with the function anywhere on the stack.</summary>
    Total,

    /// <summary>OwnTime: seconds in the function itself since top started.</summary>
    OwnTime,

    /// <summary>TotalTime: seconds with the function on the stack since top started.</summary>
    TotalTime,

    /// <summary>By function name, then file.</summary>
    Function,
}

using System.Globalization;

namespace ServerlessML.Bench;

/// <summary>--name value pairs from the command line.</summary>
internal sealed class Options(string[] args)
{
    public string? String(string name)
    {
        var index = Array.IndexOf(args, $"--{name}");
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public string Required(string name) => String(name) ?? throw new ArgumentException($"--{name} is required.");

    public long Long(string name, long fallback) => String(name) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => args.Contains($"--{name}");

    /// <summary>Every value of an option given more than once (<c>--setting A=1 --setting B=2</c>).</summary>
    public IEnumerable<string> All(string name) =>
        args.Select((arg, i) => (arg, i)).Where(a => a.arg == $"--{name}" && a.i + 1 < args.Length).Select(a => args[a.i + 1]);
}

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
}

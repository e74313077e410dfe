using System.Text.RegularExpressions;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>
/// The README's configuration reference: the one table, under <c>## Configuration</c>, of every setting with its
/// default, the host that reads it and what sets it in Azure.
/// </summary>
internal static partial class ConfigurationReference
{
    /// <summary>The <i>In Azure</i> of a setting <c>infra/</c> writes on every deployment.</summary>
    public const string WrittenByInfra = "infra/";

    /// <summary>The <i>In Azure</i> of a setting <c>infra/</c> writes when it deploys the Durable Task Scheduler.</summary>
    public const string WrittenByInfraWithTheScheduler = "infra/, with the scheduler";

    public const string SetByThePlatform = "the platform";

    /// <summary>The <i>In Azure</i> of a setting nothing sets: its default applies.</summary>
    public const string NotSet = "—";

    private static readonly Lazy<IReadOnlyList<SettingRow>> s_rows = new(() => Parse(Readme.Section("Configuration")));

    public static IReadOnlyList<SettingRow> Rows => s_rows.Value;

    /// <summary>The row that names this setting.</summary>
    public static SettingRow Row(string setting) => Rows.Single(r => r.Names.Contains(setting));

    /// <summary>The first table of the section: its header must be the one this reads.</summary>
    private static List<SettingRow> Parse(string section)
    {
        var table = section.Split('\n').SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|')).ToList();
        var header = Cells(table[0]);
        if (!header.SequenceEqual(["Setting", "Default", "Read by", "In Azure", "What it does"]))
        {
            throw new InvalidOperationException($"The configuration table's columns are not the ones the tests read: {table[0]}");
        }

        return table.Skip(2).Select(line =>
        {
            var cells = Cells(line);
            if (cells.Count != header.Count)
            {
                throw new InvalidOperationException($"A row of the configuration table has {cells.Count} cells, not {header.Count}: {line}");
            }

            var names = Code().Matches(cells[0]).Select(m => m.Groups[1].Value).ToList();
            return new SettingRow(names, Plain(cells[1]), Plain(cells[2]), Plain(cells[3]), cells[4]);
        }).ToList();
    }

    private static List<string> Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();

    private static string Plain(string cell) => cell.Replace("`", "", StringComparison.Ordinal);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}

/// <summary>A row of the configuration table; a name with <c>{…}</c> in it stands for many settings.</summary>
internal sealed record SettingRow(IReadOnlyList<string> Names, string Default, string ReadBy, string InAzure, string Meaning)
{
    /// <summary>The Functions host reads it (alone, or as one of both hosts).</summary>
    public bool ReadByTheFunctionsHost => ReadBy is "both hosts" || ReadBy.StartsWith("Functions host", StringComparison.Ordinal);
}

/// <summary>The repository's README, by section.</summary>
internal static class Readme
{
    private static readonly Lazy<string> s_text = new(() => File.ReadAllText(Path.Combine(Azurite.RepoRoot(), "README.md")).ReplaceLineEndings("\n"));

    public static string Text => s_text.Value;

    /// <summary>The text under <c>## {heading}</c>, up to the next heading of that level.</summary>
    public static string Section(string heading)
    {
        var start = Text.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"The README has no section '## {heading}'.");
        }

        var end = Text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? Text[start..] : Text[start..end];
    }
}

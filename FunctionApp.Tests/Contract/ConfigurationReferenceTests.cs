using System.Globalization;
using System.Reflection;
using System.Text.Json;
using ServerlessML.Http;
using ServerlessML.LocalHost;
using ServerlessML.LocalHost.Security;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Contract;

/// <summary>
/// The README's configuration table is the app's: every option the app binds (a class with a <c>Section</c>) is a row,
/// with the option's default and the hosts that bind it, and every row of those sections is an option the app binds.
/// A new option, or a renamed one, fails here until the table says what it is.
/// </summary>
public sealed class ConfigurationReferenceTests
{
    private static readonly string[] s_readBy =
        ["both hosts", "Functions host", "local host", "./run.sh", "Functions host, with the scheduler's host.json"];

    private static readonly string[] s_inAzure =
    [
        ConfigurationReference.WrittenByInfra, ConfigurationReference.WrittenByInfraWithTheScheduler,
        ConfigurationReference.SetByThePlatform, ConfigurationReference.NotSet,
    ];

    [Test]
    public void EveryOptionTheAppBinds_HasARow_ReadByTheHostsThatBindIt()
    {
        foreach (var option in BoundOptions())
        {
            var row = ConfigurationReference.Rows.SingleOrDefault(r => r.Names.Contains(option.Name));

            Assert.That(row, Is.Not.Null, $"{option.Name} ({option.Type.Name}) is missing from the README's configuration table");
            Assert.That(row!.ReadBy, Is.EqualTo(option.ReadBy), option.Name);
        }
    }

    [Test]
    public void EveryRowOfAnOptionsSection_IsAnOptionTheAppBinds()
    {
        var bound = BoundOptions().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var prefixes = BoundOptions().Select(o => o.Name[..(o.Name.LastIndexOf("__", StringComparison.Ordinal) + 2)]).ToHashSet(StringComparer.Ordinal);

        var rows = ConfigurationReference.Rows.SelectMany(r => r.Names)
            .Where(name => prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));

        Assert.That(rows, Is.All.Matches<string>(bound.Contains), "rows that name an option no class binds");
    }

    [Test]
    public void Defaults_AreTheOptionsDefaults()
    {
        foreach (var option in BoundOptions().Where(o => o.Default is not null))
        {
            var row = ConfigurationReference.Row(option.Name);

            // A row of several settings gives them one default in words; a row of one gives its value.
            if (row.Names.Count == 1)
            {
                Assert.That(row.Default, Is.EqualTo(option.Default).Or.StartsWith(option.Default + " "), option.Name);
            }
        }
    }

    [Test]
    public void EveryRow_SaysWhoReadsItAndWhatSetsItInAzure()
    {
        Assert.That(ConfigurationReference.Rows, Has.Count.GreaterThan(20));
        foreach (var row in ConfigurationReference.Rows)
        {
            Assert.That(row.Names, Is.Not.Empty, row.Meaning);
            Assert.That(row.ReadBy, Is.AnyOf(s_readBy), string.Join(", ", row.Names));
            Assert.That(row.InAzure, Is.AnyOf(s_inAzure), string.Join(", ", row.Names));
            Assert.That(row.Meaning, Is.Not.Empty, string.Join(", ", row.Names));
        }
    }

    [Test]
    public void LocalSettingsSample_SetsOnlySettingsOfTheTable()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Azurite.RepoRoot(), "local.settings.sample.json")));
        var names = ConfigurationReference.Rows.SelectMany(r => r.Names).ToHashSet(StringComparer.Ordinal);

        var values = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name);

        Assert.That(values, Is.All.Matches<string>(names.Contains));
    }

    /// <summary>A setting the app reads, the hosts that read it, and its default as the table writes it (null: none to compare).</summary>
    private sealed record BoundOption(string Name, Type Type, string ReadBy, string? Default);

    // The options classes: the app's (bound in AddServerlessML, which both hosts call) and the local host's own.
    private static IEnumerable<BoundOption> BoundOptions()
    {
        foreach (var (assembly, readBy) in new[] { (typeof(TrainFunction).Assembly, "both hosts"), (typeof(LocalHostApp).Assembly, "local host") })
        {
            foreach (var type in assembly.GetTypes())
            {
                if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } field)
                {
                    continue;
                }

                var section = ((string)field.GetRawConstantValue()!).Replace(":", "__", StringComparison.Ordinal);
                var defaults = Activator.CreateInstance(type);
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                {
                    var many = property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>);
                    yield return many
                        ? new BoundOption($"{section}__{property.Name}__{{name}}", type, readBy, null)
                        : new BoundOption($"{section}__{property.Name}", type, readBy, Format(property.GetValue(defaults)));
                }
            }
        }

        // Read as a single value rather than bound; its default is the address the local host listens on.
        yield return new BoundOption(PublicBaseUrl.Setting.Replace(":", "__", StringComparison.Ordinal), typeof(PublicBaseUrl), "local host", null);
    }

    private static string Format(object? value) => value switch
    {
        null => "—",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}

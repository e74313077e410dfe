using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Serving;

namespace ServerlessML.Tests.Serving;

public sealed class InputWarningsTests
{
    private static readonly ModelSchema s_schema = new("y", [
        new FeatureSchema("year", ColumnKind.Numeric, Min: 1970, Max: 1982),
        new FeatureSchema("city", ColumnKind.Categorical, Levels: ["Bergen", "Oslo"]),
    ]);

    [Test]
    public void Check_ValuesOnTheRangeEdgesKnownLevelsAndMissing_GivesNone()
    {
        using var batch = Batch((1970, "Oslo"), (1982, "Bergen"), (float.NaN, ""));

        var warnings = new InputWarnings(s_schema).Check(batch);

        Assert.That(warnings, Is.Null);
    }

    [Test]
    public void Check_BelowAboveAndUnseen_NamesInstanceFeatureAndRange()
    {
        using var batch = Batch((1969, "Oslo"), (1990.5f, "Tromsø"));

        var warnings = new InputWarnings(s_schema).Check(batch)!;

        Assert.That(warnings.Select(w => (w.Instance, w.Feature)), Is.EqualTo(new[] { (0, "year"), (1, "year"), (1, "city") }));
        Assert.That(warnings[0].Message, Is.EqualTo("1969 is below the training range, 1970 to 1982: the prediction extrapolates."));
        Assert.That(warnings[1].Message, Does.StartWith("1990.5 is above the training range"));
        Assert.That(warnings[2].Message, Does.EndWith("Known: Bergen, Oslo."));
    }

    [Test]
    public void Check_ManyOddRows_ListsAtMostTheCapThenCountsTheRest()
    {
        using var batch = Batch(Enumerable.Repeat((2000f, "Oslo"), InputWarnings.MaxWarnings + 5).ToArray());

        var warnings = new InputWarnings(s_schema).Check(batch)!;

        Assert.That(warnings, Has.Count.EqualTo(InputWarnings.MaxWarnings + 1));
        Assert.That(warnings[^1].Message, Is.EqualTo("5 more warnings not listed."));
    }

    [Test]
    public void Check_ManifestWithoutRangesOrLevels_GivesNone()
    {
        var old = new ModelSchema("y", [new FeatureSchema("year", ColumnKind.Numeric), new FeatureSchema("city", ColumnKind.Categorical)]);
        using var batch = Batch((3000, "Anywhere"));

        Assert.That(new InputWarnings(old).Check(batch), Is.Null);
    }

    private static FeatureBatch Batch(params (float Year, string City)[] rows)
    {
        var batch = new FeatureBatch(s_schema, rows.Length);
        for (var row = 0; row < rows.Length; row++)
        {
            batch.Numbers[row] = rows[row].Year;
            batch.Texts[row] = rows[row].City.AsMemory();
        }

        return batch;
    }
}

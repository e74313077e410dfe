using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessML.Data;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

/// <summary>The prepared-data cache on its own: what a key tells apart, the budget, least-recently-used eviction, off.</summary>
public sealed class PreparedDataCacheTests
{
    // 2 columns × 50,000 rows × 4 bytes: 400,000 bytes, so a 1 MB budget holds two of them and not three.
    private const int Rows = 50_000;

    private static readonly DatasetReadOptions s_read = new() { Label = "y" };

    [Test]
    public void Find_AfterAdd_GivesTheDatasetKeptUnderThatKey()
    {
        var cache = Cache(megabytes: 1);
        var dataset = Numbers(seed: 1);

        var kept = cache.Add(Key("a"), dataset);

        Assert.That(kept, Is.True);
        Assert.That(cache.Find(Key("a")), Is.SameAs(dataset));
        Assert.That(cache.Find(Key("b")), Is.Null);
        Assert.That(cache.Find(null), Is.Null);
        Assert.That(cache.Bytes, Is.EqualTo(PreparedDataCache.SizeOf(dataset)).And.EqualTo(2L * 4 * Rows));
    }

    [Test]
    public void Key_TellsApartEveryReadOptionThatChangesTheData_AndNotTheOrderKindsWereGivenIn()
    {
        var numeric = new Dictionary<string, ColumnKind> { ["x"] = ColumnKind.Numeric, ["y"] = ColumnKind.Numeric };
        var sameKindsOtherOrder = new Dictionary<string, ColumnKind> { ["y"] = ColumnKind.Numeric, ["x"] = ColumnKind.Numeric };
        var key = PreparedDataKey.Of("a", DatasetFormat.Csv, s_read with { Kinds = numeric });

        Assert.That(PreparedDataKey.Of("a", DatasetFormat.Csv, s_read with { Kinds = sameKindsOtherOrder }), Is.EqualTo(key));
        Assert.That(PreparedDataKey.Of("b", DatasetFormat.Csv, s_read with { Kinds = numeric }), Is.Not.EqualTo(key), "other bytes");
        Assert.That(PreparedDataKey.Of("a", DatasetFormat.Parquet, s_read with { Kinds = numeric }), Is.Not.EqualTo(key), "another format");
        Assert.That(PreparedDataKey.Of("a", DatasetFormat.Csv, s_read with { Kinds = numeric, Label = "x" }), Is.Not.EqualTo(key), "another label");
        Assert.That(PreparedDataKey.Of("a", DatasetFormat.Csv, s_read), Is.Not.EqualTo(key), "kinds inferred rather than given");
        Assert.That(
            PreparedDataKey.Of("a", DatasetFormat.Csv, s_read with { Kinds = new Dictionary<string, ColumnKind> { ["x"] = ColumnKind.Categorical, ["y"] = ColumnKind.Numeric } }),
            Is.Not.EqualTo(key), "another kind");
        Assert.That(PreparedDataKey.Of("a", DatasetFormat.Csv, s_read with { Kinds = numeric, MaxCategoricalLevels = 10 }), Is.Not.EqualTo(key), "other limits");
        Assert.That(PreparedDataKey.Of("a", DatasetFormat.Csv, s_read with { Kinds = numeric, ExpectedRows = 1000 }), Is.EqualTo(key), "a size hint changes no value");
    }

    [Test]
    public void Key_ColumnNamesThatSpellOtherKinds_DoNotMakeThemEqual()
    {
        var two = new Dictionary<string, ColumnKind> { ["a"] = ColumnKind.Numeric, ["b"] = ColumnKind.Numeric };
        var oneNamedLikeTwo = new Dictionary<string, ColumnKind> { ["a=Numeric;1:b"] = ColumnKind.Numeric };

        Assert.That(PreparedDataKey.Of("a", DatasetFormat.Csv, s_read with { Kinds = oneNamedLikeTwo }), Is.Not.EqualTo(PreparedDataKey.Of("a", DatasetFormat.Csv, s_read with { Kinds = two })));
    }

    [Test]
    public void Add_OverTheBudget_DropsTheLeastRecentlyUsed()
    {
        var cache = Cache(megabytes: 1);
        cache.Add(Key("a"), Numbers(seed: 1));
        cache.Add(Key("b"), Numbers(seed: 2));
        cache.Find(Key("a"));

        cache.Add(Key("c"), Numbers(seed: 3));

        Assert.That(cache.Find(Key("a")), Is.Not.Null, "used after b");
        Assert.That(cache.Find(Key("b")), Is.Null, "the least recently used");
        Assert.That(cache.Find(Key("c")), Is.Not.Null);
        Assert.That(cache.Bytes, Is.EqualTo(2L * 2 * 4 * Rows).And.LessThanOrEqualTo(cache.BudgetBytes));
    }

    [Test]
    public void Add_TheSameKeyAgain_CountsItOnce()
    {
        var cache = Cache(megabytes: 1);
        cache.Add(Key("a"), Numbers(seed: 1));

        var again = Numbers(seed: 1);
        cache.Add(Key("a"), again);

        Assert.That(cache.Find(Key("a")), Is.SameAs(again));
        Assert.That(cache.Bytes, Is.EqualTo(2L * 4 * Rows));
    }

    [Test]
    public void Add_BiggerThanTheWholeBudget_IsNotKept_AndDropsNothing()
    {
        var cache = Cache(megabytes: 1);
        var small = Numbers(seed: 1);
        cache.Add(Key("small"), small);

        var kept = cache.Add(Key("big"), Numbers(seed: 2, rows: 200_000));

        Assert.That(kept, Is.False);
        Assert.That(cache.Find(Key("big")), Is.Null);
        Assert.That(cache.Find(Key("small")), Is.SameAs(small));
        Assert.That(cache.Bytes, Is.EqualTo(PreparedDataCache.SizeOf(small)));
    }

    [Test]
    public void Off_KeepsNothing()
    {
        var cache = Cache(megabytes: 0);

        var kept = cache.Add(Key("a"), Numbers(seed: 1, rows: 10));

        Assert.That(kept, Is.False);
        Assert.That(cache.Find(Key("a")), Is.Null);
        Assert.That(cache.TrainSplit(new SplitKey(Key("a"), 0.2, 42)), Is.Null);
        Assert.That(cache.Bytes, Is.Zero);
    }

    [Test]
    public void SizeOf_CountsCategoriesAndTheirText()
    {
        var city = new CategoricalColumn("city", new int[100], ["Oslo", "Bergen"]);
        var dataset = new Dataset(new Table([city, new NumericColumn("y", new float[100])]), "y");

        Assert.That(PreparedDataCache.SizeOf(dataset), Is.EqualTo((4 * 100) + (24 + (2 * 4)) + (24 + (2 * 6)) + (4 * 100)));
    }

    [Test]
    public void Splits_AreTheRowsTheSeededSplitGives_InTheirOrder_CategoriesIncluded()
    {
        var cache = Cache(megabytes: 16);
        var dataset = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(1000, withCity: true, missingRate: 0.05)), s_read);
        cache.Add(Key("a"), dataset);
        var split = new SplitKey(Key("a"), 0.25, 7);

        var train = cache.TrainSplit(split)!;
        var test = cache.TestSplit(split)!;

        var (expectedTrain, expectedTest) = DatasetSplit.Split(dataset, 0.25, 7);
        Assert.That(train.RowCount, Is.EqualTo(750));
        Assert.That(test.RowCount, Is.EqualTo(250));
        Assert.That(train.Label, Is.EqualTo("y"));
        Assert.That(((NumericColumn)train.Table["x1"]).Values, Is.EqualTo(((NumericColumn)expectedTrain.Table["x1"]).Values));
        Assert.That(((NumericColumn)test.Table["y"]).Values, Is.EqualTo(((NumericColumn)expectedTest.Table["y"]).Values));
        Assert.That(((CategoricalColumn)test.Table["city"]).Codes, Is.EqualTo(((CategoricalColumn)expectedTest.Table["city"]).Codes));
        Assert.That(((CategoricalColumn)test.Table["city"]).Levels, Is.EqualTo(((CategoricalColumn)dataset.Table["city"]).Levels));
        Assert.That(cache.TrainSplit(split with { Data = Key("b") }), Is.Null);
        Assert.That(cache.TrainSplit(null), Is.Null);
    }

    [Test]
    public void Splits_AreCopies_TheDatasetHeldStaysAsItWas()
    {
        var cache = Cache(megabytes: 1);
        var dataset = Numbers(seed: 1);
        cache.Add(Key("a"), dataset);
        var before = ((NumericColumn)dataset.Table["x"]).Values.ToArray();

        var train = cache.TrainSplit(new SplitKey(Key("a"), 0.2, 42))!;
        Array.Fill(((NumericColumn)train.Table["x"]).Values, float.NaN);

        Assert.That(((NumericColumn)cache.Find(Key("a"))!.Table["x"]).Values, Is.EqualTo(before));
    }

    [Test]
    public void ManyThreadsAddingAndFinding_NeverHoldMoreThanTheBudget()
    {
        var cache = Cache(megabytes: 1);
        var datasets = Enumerable.Range(0, 8).Select(i => Numbers(seed: i, rows: 10_000 * (i + 1))).ToArray();

        var wrong = 0;
        Parallel.For(0, 2000, i =>
        {
            var which = i % datasets.Length;
            if (cache.Find(Key($"{which}")) is { } found)
            {
                if (!ReferenceEquals(found, datasets[which]))
                {
                    Interlocked.Increment(ref wrong);
                }
            }
            else
            {
                cache.Add(Key($"{which}"), datasets[which]);
            }
        });

        var held = datasets.Where((d, i) => cache.Find(Key($"{i}")) is not null).Sum(PreparedDataCache.SizeOf);
        Assert.That(wrong, Is.Zero, "a key found another key's dataset");
        Assert.That(cache.Bytes, Is.EqualTo(held).And.LessThanOrEqualTo(cache.BudgetBytes).And.GreaterThan(0));
    }

    private static PreparedDataCache Cache(int megabytes) =>
        new(Options.Create(new TrainingOptions { DataCacheMegabytes = megabytes }), NullLogger<PreparedDataCache>.Instance);

    private static PreparedDataKey Key(string sha256) => PreparedDataKey.Of(sha256, DatasetFormat.Csv, s_read);

    private static Dataset Numbers(int seed, int rows = Rows)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, rows).Select(_ => random.NextSingle()).ToArray();
        var y = x.Select(v => (2 * v) + 1).ToArray();
        return new Dataset(new Table([new NumericColumn("x", x), new NumericColumn("y", y)]), "y");
    }
}

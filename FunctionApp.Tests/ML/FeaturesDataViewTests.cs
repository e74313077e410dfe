using Microsoft.ML;
using Microsoft.ML.Data;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

/// <summary>The fast feature path must compute exactly what the saved ML.NET transforms compute.</summary>
public sealed class FeaturesDataViewTests
{
    [Test]
    public void Cursor_EveryRow_EqualsTheFittedTransformsOutput()
    {
        var dataset = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(40_000, withCity: true, missingRate: 0.1, noise: 3)), new DatasetReadOptions());
        var columns = ModelColumns.For(dataset.Features.Select(f => f.Name));

        var (transforms, layout) = ModelTrainer.FitFeatures(new MLContext(1), dataset, columns);
        var expected = Features(new TransformerChain<ITransformer>(transforms).Transform(new DatasetDataView(dataset, columns)), columns);
        var actual = Features(new FeaturesDataView(dataset, layout, columns), columns);

        Assert.That(layout.Length, Is.EqualTo(2 + SyntheticData.Cities.Length));
        Assert.That(actual, Has.Length.EqualTo(dataset.RowCount));
        for (var row = 0; row < dataset.RowCount; row++)
        {
            Assert.That(actual[row], Is.EqualTo(expected[row]), $"row {row}");
        }
    }

    [Test]
    public void Sample_LargeSplit_KeepsEveryCategoryLevel()
    {
        var rows = ModelTrainer.StatisticsSampleRows * 3;
        var codes = new int[rows];
        codes[rows - 1] = 1;
        var dataset = new Dataset(
            new Table([new CategoricalColumn("rare", codes, ["common", "only-at-the-end"]), new NumericColumn("y", new float[rows])]),
            "y");

        var sample = ModelTrainer.Sample(dataset);

        Assert.That(sample.RowCount, Is.EqualTo(ModelTrainer.StatisticsSampleRows + 1));
        Assert.That(((CategoricalColumn)sample.Table["rare"]).Codes, Does.Contain(1));
    }

    [Test]
    public void Cursor_Shuffled_VisitsEveryRowOnceWithItsOwnId()
    {
        var dataset = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(500)), new DatasetReadOptions());
        var columns = ModelColumns.For(dataset.Features.Select(f => f.Name));
        var (_, layout) = ModelTrainer.FitFeatures(new MLContext(1), dataset, columns);
        var view = new FeaturesDataView(dataset, layout, columns);
        var labels = ((NumericColumn)dataset.Table["y"]).Values;

        using var cursor = view.GetRowCursor(view.Schema, new Random(3));
        var ids = new List<int>();
        var id = default(DataViewRowId);
        var label = 0f;
        var getId = cursor.GetIdGetter();
        var getLabel = cursor.GetGetter<float>(view.Schema[columns.Label]);
        var inOrder = true;
        while (cursor.MoveNext())
        {
            getId(ref id);
            getLabel(ref label);
            Assert.That(label, Is.EqualTo(labels[(int)id.Low]));
            inOrder &= (int)id.Low == ids.Count;
            ids.Add((int)id.Low);
        }

        Assert.That(ids, Is.EquivalentTo(Enumerable.Range(0, 500)));
        Assert.That(inOrder, Is.False, "a shuffled cursor");
    }

    // Every row's Features vector, in row order.
    private static float[][] Features(IDataView data, ModelColumns columns)
    {
        using var cursor = data.GetRowCursor(data.Schema);
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema[columns.Features]);
        var rows = new List<float[]>();
        var features = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref features);
            rows.Add(features.DenseValues().ToArray());
        }

        return [.. rows];
    }
}

using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ServerlessML.Data;
using ServerlessML.ML;

namespace ServerlessML.Tests.ML;

public sealed class OnnxExportTests
{
    [TestCase(TrainerKind.Sdca)]
    [TestCase(TrainerKind.FastTree)]
    [TestCase(TrainerKind.LightGbm)]
    public void Export_LoadedInOnnxRuntime_PredictsWhatMLNetPredicts(TrainerKind kind)
    {
        var data = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(1000, withCity: true, missingRate: 0.1, noise: 1)), new DatasetReadOptions());
        var (train, test) = DatasetSplit.Split(data, 0.2, 42);
        var schema = ModelSchema.Describe(train);
        var model = ModelTrainer.Train(train, new TrainerOptions(Kind: kind), seed: 42);

        var onnx = OnnxExport.Export(model, schema);

        using var session = new InferenceSession(onnx);
        var x1 = ((NumericColumn)test.Table["x1"]).Values;
        var x2 = ((NumericColumn)test.Table["x2"]).Values;
        var city = (CategoricalColumn)test.Table["city"];
        var rows = test.RowCount;
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("x1", new DenseTensor<float>(x1, [rows, 1])),
            NamedOnnxValue.CreateFromTensor("x2", new DenseTensor<float>(x2, [rows, 1])),
            NamedOnnxValue.CreateFromTensor("city", new DenseTensor<string>(Enumerable.Range(0, rows).Select(r => city.ValueAt(r) ?? "").ToArray(), [rows, 1])),
        };
        using var results = session.Run(inputs);
        var scores = results.Single(r => r.Name == OnnxExport.ScoreOutput).AsEnumerable<float>().ToArray();

        Assert.That(session.InputMetadata.Keys, Is.EqualTo(new[] { "x1", "x2", "city" }), "the features under their own names, no label");
        Assert.That(session.OutputMetadata.Keys, Is.EqualTo(new[] { OnnxExport.ScoreOutput }));
        Assert.That(scores, Is.EqualTo(ModelScorerTests.TransformScores(model, test)).Within(1e-4));
    }
}

public sealed class OnnxExportRefusalTests
{
    [Test]
    public void Export_PredictorWithoutAnOnnxForm_IsAConflictThatSaysWhy()
    {
        var data = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(300)), new DatasetReadOptions());
        var schema = ModelSchema.Describe(data);
        var ml = new MLContext(1);
        var view = ml.Data.LoadFromEnumerable(Enumerable.Range(0, data.RowCount).Select(r => new Row
        {
            X1 = ((NumericColumn)data.Table["x1"]).Values[r],
            X2 = ((NumericColumn)data.Table["x2"]).Values[r],
            Y = data.LabelColumn.Values[r],
        }));
        // GAM has no ONNX form in ML.NET's converter.
        var model = ml.Transforms.Concatenate("Features", "x1", "x2").Append(ml.Regression.Trainers.Gam("y")).Fit(view);

        var refusal = Assert.Throws<ConflictException>(() => OnnxExport.Export(model, schema));

        Assert.That(refusal!.Message, Does.StartWith("This model cannot be exported to ONNX: ML.NET's converter says: 'The targeted pipeline can not be fully converted"));
    }

    private sealed class Row
    {
        [Microsoft.ML.Data.ColumnName("x1")]
        public float X1 { get; set; }

        [Microsoft.ML.Data.ColumnName("x2")]
        public float X2 { get; set; }

        [Microsoft.ML.Data.ColumnName("y")]
        public float Y { get; set; }
    }
}

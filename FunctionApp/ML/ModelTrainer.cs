using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>Fits the SDCA regression pipeline: fill missing numbers → normalize → one-hot categories → concatenate → SDCA.</summary>
public static class ModelTrainer
{
    public static ITransformer Train(Dataset train, TrainerOptions options, int seed)
    {
        var ml = new MLContext(seed);
        var columns = ModelColumns.For(train.Features.Select(f => f.Name));
        var numeric = Pairs(train, ColumnKind.Numeric);
        var categorical = Pairs(train, ColumnKind.Categorical);

        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        if (numeric.Length > 0)
        {
            pipeline = pipeline
                .Append(ml.Transforms.ReplaceMissingValues(numeric, MissingValueReplacingEstimator.ReplacementMode.Mean))
                .Append(ml.Transforms.NormalizeMeanVariance(numeric));
        }

        if (categorical.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(categorical, OneHotEncodingEstimator.OutputKind.Indicator));
        }

        pipeline = pipeline
            .Append(ml.Transforms.Concatenate(columns.Features, train.Features.Select(f => f.Name).ToArray()))
            .AppendCacheCheckpoint(ml)
            .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = columns.Label,
                FeatureColumnName = columns.Features,
                L2Regularization = options.L2,
                L1Regularization = options.L1,
                MaximumNumberOfIterations = options.MaxIterations,
                // One thread makes SDCA's updates happen in a fixed order: the same data and seed give the same model.
                NumberOfThreads = 1,
            }));

        return pipeline.Fit(new DatasetDataView(train, columns));
    }

    /// <summary>The schema a saved model declares as its input: the features, under their own names.</summary>
    public static DataViewSchema InputSchema(IEnumerable<FeatureSchema> features)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var feature in features)
        {
            builder.AddColumn(feature.Name, ModelColumns.TypeOf(feature.Kind));
        }

        return builder.ToSchema();
    }

    /// <summary>Saves a model with its features as the declared input schema, so <c>Model.Load</c> tells a user what to feed it.</summary>
    public static void Save(ITransformer model, Dataset train, Stream destination) =>
        new MLContext().Model.Save(model, InputSchema(train.Features.Select(f => new FeatureSchema(f.Name, f.Kind))), destination);

    public static ITransformer Load(Stream source) => new MLContext().Model.Load(source, out _);

    private static InputOutputColumnPair[] Pairs(Dataset dataset, ColumnKind kind) =>
        dataset.Features.Where(f => f.Kind == kind).Select(f => new InputOutputColumnPair(f.Name)).ToArray();
}

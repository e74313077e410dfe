using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// Fits the regression pipeline: fill missing numbers → centre and scale → one-hot categories → concatenate → a trainer
/// (SDCA unless the options name FastTree or LightGBM).
/// The feature transforms are fitted by ML.NET on a sample of the training rows (all of them up to
/// <see cref="StatisticsSampleRows"/>, then that many spread evenly, plus the first row of every category level);
/// The trainer then trains on every row through <see cref="FeaturesDataView"/>, which applies the fitted transforms'
/// parameters to the columns directly instead of pushing each row through ML.NET's transform chain.
/// The saved model is the ordinary ML.NET chain of those same fitted transforms and the SDCA predictor.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Enough rows to estimate a mean and a variance to well within what normalization needs.</summary>
    public const int StatisticsSampleRows = 20_000;

    public static ITransformer Train(Dataset train, TrainerOptions options, int seed)
    {
        var ml = new MLContext(seed);
        var columns = ModelColumns.For(train.Features.Select(f => f.Name));
        var (transforms, layout) = FitFeatures(ml, Sample(train), columns);

        var data = new FeaturesDataView(train, layout, columns);
        ITransformer predictor = options.Kind switch
        {
            TrainerKind.Sdca => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = columns.Label,
                FeatureColumnName = columns.Features,
                L2Regularization = options.L2,
                L1Regularization = options.L1,
                MaximumNumberOfIterations = options.MaxIterations,
                // One thread makes SDCA's updates happen in a fixed order: the same data and seed give the same model.
                NumberOfThreads = 1,
            }).Fit(data),
            TrainerKind.FastTree => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = columns.Label,
                FeatureColumnName = columns.Features,
            }).Fit(data),
            TrainerKind.LightGbm => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = columns.Label,
                FeatureColumnName = columns.Features,
                Seed = seed,
                // LightGBM's own threads can split work differently from run to run; one keeps a seed's model the same.
                NumberOfThreads = 1,
            }).Fit(data),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown trainer."),
        };

        return new TransformerChain<ITransformer>([.. transforms, predictor]);
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
    public static void Save(ITransformer model, Dataset train, Stream destination) => Save(model, FeatureSchema.Of(train), destination);

    public static void Save(ITransformer model, IEnumerable<FeatureSchema> features, Stream destination) =>
        new MLContext().Model.Save(model, InputSchema(features), destination);

    public static ITransformer Load(Stream source) => new MLContext().Model.Load(source, out _);

    /// <summary>Fits the feature transforms on <paramref name="sample"/> and reads their parameters back as a layout.</summary>
    internal static (ITransformer[] Transforms, FeatureLayout Layout) FitFeatures(MLContext ml, Dataset sample, ModelColumns columns)
    {
        var numeric = Names(sample, ColumnKind.Numeric);
        var categorical = Names(sample, ColumnKind.Categorical);
        var transforms = new List<ITransformer>();
        IDataView data = new DatasetDataView(sample, columns);
        if (numeric.Length > 0)
        {
            Fit(ml.Transforms.ReplaceMissingValues(Pairs(numeric), MissingValueReplacingEstimator.ReplacementMode.Mean), ref data, transforms);
            // Centred as well as scaled (fixZero: false): ML.NET's default only scales, which leaves a feature far from
            // zero compared with its spread (a year, 1970–1982) nearly constant, and SDCA gives it almost no weight.
            Fit(ml.Transforms.NormalizeMeanVariance(Pairs(numeric), fixZero: false), ref data, transforms);
        }

        if (categorical.Length > 0)
        {
            Fit(ml.Transforms.Categorical.OneHotEncoding(Pairs(categorical), OneHotEncodingEstimator.OutputKind.Indicator), ref data, transforms);
        }

        Fit(ml.Transforms.Concatenate(columns.Features, sample.Features.Select(f => f.Name).ToArray()), ref data, transforms);
        return ([.. transforms], FeatureLayout.Read(transforms, FeatureSchema.Of(sample), sample, columns));
    }

    private static void Fit(IEstimator<ITransformer> estimator, ref IDataView data, List<ITransformer> fitted)
    {
        var transformer = estimator.Fit(data);
        data = transformer.Transform(data);
        fitted.Add(transformer);
    }

    /// <summary>The rows the feature transforms are fitted on: every row of a small split; else an even spread plus the
    /// first row of each category level, so the one-hot encoding knows every level in the data.</summary>
    internal static Dataset Sample(Dataset train)
    {
        if (train.RowCount <= StatisticsSampleRows)
        {
            return train;
        }

        var rows = new SortedSet<int>();
        var step = (double)train.RowCount / StatisticsSampleRows;
        for (var i = 0; i < StatisticsSampleRows; i++)
        {
            rows.Add((int)(i * step));
        }

        foreach (var categorical in train.Features.OfType<CategoricalColumn>())
        {
            var seen = new bool[categorical.Levels.Count];
            for (var row = 0; row < categorical.Count; row++)
            {
                if (categorical.Codes[row] is var code and >= 0 && !seen[code])
                {
                    seen[code] = true;
                    rows.Add(row);
                }
            }
        }

        return new Dataset(train.Table.Take([.. rows]), train.Label);
    }

    private static string[] Names(Dataset dataset, ColumnKind kind) =>
        dataset.Features.Where(f => f.Kind == kind).Select(f => f.Name).ToArray();

    private static InputOutputColumnPair[] Pairs(string[] names) => names.Select(n => new InputOutputColumnPair(n)).ToArray();
}

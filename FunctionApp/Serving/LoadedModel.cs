using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Serving;

/// <summary>
/// One published model version in memory. A linear model (every model this app trains) scores through its own
/// parameters; any other through a pool of ML.NET row predictors, so concurrent requests never share one.
/// </summary>
public sealed class LoadedModel
{
    private readonly LinearPredictor? _linear;
    private readonly ObjectPool<RowPredictor> _predictors;
    private readonly Lazy<ObjectPool<ModelExplainer>?> _explainers;

    public LoadedModel(ModelManifest manifest, ITransformer transformer)
    {
        Manifest = manifest;
        Reader = new FeatureBatchReader(manifest.Schema, manifest.Model);
        Warnings = new InputWarnings(manifest.Schema);
        _linear = LinearPredictor.TryCreate(transformer, manifest.Schema);
        _predictors = new DefaultObjectPool<RowPredictor>(new PredictorPolicy(transformer, manifest.Schema), Environment.ProcessorCount * 4);
        // Built on the first request that asks for explanations: most never do.
        _explainers = new(() => ModelExplainer.TryCreate(transformer, manifest.Schema) is { } first
            ? new DefaultObjectPool<ModelExplainer>(new ExplainerPolicy(first, transformer, manifest.Schema), Environment.ProcessorCount)
            : null);
    }

    public ModelManifest Manifest { get; }

    public ModelSchema Schema => Manifest.Schema;

    /// <summary>Reads request instances into batches this model can score.</summary>
    public FeatureBatchReader Reader { get; }

    /// <summary>Finds the values of a batch this model was not trained on.</summary>
    public InputWarnings Warnings { get; }

    public float[] Predict(FeatureBatch batch)
    {
        var predictions = new float[batch.Rows];
        if (_linear is not null)
        {
            _linear.Predict(batch, predictions);
            return predictions;
        }

        var predictor = _predictors.Get();
        try
        {
            predictor.Predict(batch, predictions);
        }
        finally
        {
            _predictors.Return(predictor);
        }

        return predictions;
    }

    /// <summary>Each row's feature contributions (<see cref="ModelExplainer"/>); null for a model ML.NET cannot explain.</summary>
    public Explanation[]? Explain(FeatureBatch batch)
    {
        if (_explainers.Value is not { } pool)
        {
            return null;
        }

        var explainer = pool.Get();
        try
        {
            return explainer.Explain(batch);
        }
        finally
        {
            pool.Return(explainer);
        }
    }

    // The first explainer, built to learn whether the model can be explained at all, is the pool's first to hand out.
    private sealed class ExplainerPolicy(ModelExplainer first, ITransformer transformer, ModelSchema schema) : IPooledObjectPolicy<ModelExplainer>
    {
        private ModelExplainer? _first = first;

        public ModelExplainer Create() => Interlocked.Exchange(ref _first, null) ?? ModelExplainer.TryCreate(transformer, schema)!;

        public bool Return(ModelExplainer obj) => true;
    }

    private sealed class PredictorPolicy(ITransformer transformer, ModelSchema schema) : IPooledObjectPolicy<RowPredictor>
    {
        public RowPredictor Create() => new(transformer, schema);

        public bool Return(RowPredictor obj) => true;
    }
}

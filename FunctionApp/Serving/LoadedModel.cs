using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Serving;

/// <summary>One published model version in memory, scored by the <see cref="ModelScorer"/> evaluation scored it with.</summary>
public sealed class LoadedModel
{
    private readonly ModelScorer _scorer;
    private readonly Lazy<ObjectPool<ModelExplainer>?> _explainers;

    public LoadedModel(ModelManifest manifest, ITransformer transformer)
    {
        Manifest = manifest;
        Reader = new FeatureBatchReader(manifest.Schema, manifest.Model);
        Warnings = new InputWarnings(manifest.Schema);
        _scorer = new ModelScorer(transformer, manifest.Schema);
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
        _scorer.Predict(batch, predictions);
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
}

using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using ServerlessML.ML;
using ServerlessML.Storage;

namespace ServerlessML.Serving;

/// <summary>One published model version in memory, with a pool of predictors so concurrent requests never share one.</summary>
public sealed class LoadedModel
{
    private readonly ObjectPool<RowPredictor> _predictors;

    public LoadedModel(ModelManifest manifest, ITransformer transformer)
    {
        Manifest = manifest;
        _predictors = new DefaultObjectPool<RowPredictor>(new PredictorPolicy(transformer, manifest.Schema), Environment.ProcessorCount * 4);
    }

    public ModelManifest Manifest { get; }

    public ModelSchema Schema => Manifest.Schema;

    public float[] Predict(FeatureBatch batch)
    {
        var predictions = new float[batch.Rows];
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

    private sealed class PredictorPolicy(ITransformer transformer, ModelSchema schema) : IPooledObjectPolicy<RowPredictor>
    {
        public RowPredictor Create() => new(transformer, schema);

        public bool Return(RowPredictor obj) => true;
    }
}

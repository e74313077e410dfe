using Microsoft.ML;

namespace ServerlessML.ML;

/// <summary>
/// A model as ONNX, by ML.NET's converter, so that it can be served outside .NET (ONNX Runtime, Python, the browser).
/// The graph takes each feature as its own input, under its own name, shaped [N, 1] (float or string), and gives the
/// prediction as <see cref="ModelColumns.Score"/>.
/// </summary>
public static class OnnxExport
{
    /// <summary>The name of the ONNX output that holds the predictions.</summary>
    public const string ScoreOutput = ModelColumns.Score + ".output";

    /// <summary>The ONNX bytes of <paramref name="model"/>; a <see cref="ConflictException"/> saying why when ML.NET
    /// cannot convert one of its parts.</summary>
    public static byte[] Export(ITransformer model, ModelSchema schema)
    {
        var ml = new MLContext();
        var input = new DatasetDataView(FeatureLayout.Probe(schema), ModelColumns.For(schema.Features.Select(f => f.Name)), withLabel: false);
        using var onnx = new MemoryStream();
        try
        {
            // Only the prediction: ML.NET otherwise also exposes every intermediate column, some of which (a one-hot
            // encoding's unused output) ONNX Runtime cannot compute, so a client asking for all outputs would fail.
            ml.Model.ConvertToOnnx(model, input, onnx, ModelColumns.Score);
        }
        catch (Exception e) when (e is NotSupportedException or NotImplementedException or InvalidOperationException)
        {
            throw new ConflictException($"This model cannot be exported to ONNX: ML.NET's converter says: '{e.Message.TrimEnd('.')}'. Download model.zip to use it with ML.NET instead.");
        }

        return onnx.ToArray();
    }

}

using System.Text.Json.Serialization;

namespace ServerlessML.ML;

/// <summary>The ML.NET regression trainer that fits a model's predictor. It is written by the name a request gives it.</summary>
public enum TrainerKind
{
    /// <summary>Linear regression by stochastic dual coordinate ascent: the default, what the product promises.</summary>
    [JsonStringEnumMemberName("sdca")]
    Sdca,

    /// <summary>Gradient-boosted regression trees (ML.NET's FastTree).</summary>
    [JsonStringEnumMemberName("fasttree")]
    FastTree,

    /// <summary>Gradient-boosted regression trees (LightGBM).</summary>
    [JsonStringEnumMemberName("lightgbm")]
    LightGbm,
}

/// <summary>
/// The trainer and the settings a user may set; null leaves ML.NET's heuristic in charge. <see cref="L2"/>,
/// <see cref="L1"/> and <see cref="MaxIterations"/> are SDCA's.
/// </summary>
public sealed record TrainerOptions(float? L2 = null, float? L1 = null, int? MaxIterations = null, TrainerKind Kind = TrainerKind.Sdca)
{
    /// <summary>The name a request gives the trainer by (<c>trainer=fasttree</c>).</summary>
    [JsonIgnore]
    public string Name => Names[Kind];

    public static IReadOnlyDictionary<TrainerKind, string> Names { get; } = new Dictionary<TrainerKind, string>
    {
        [TrainerKind.Sdca] = "sdca",
        [TrainerKind.FastTree] = "fasttree",
        [TrainerKind.LightGbm] = "lightgbm",
    };

    /// <summary>Whether the predictor is linear: weights over the transformed features.</summary>
    [JsonIgnore]
    public bool IsLinear => Kind == TrainerKind.Sdca;
}

namespace ServerlessML.ML;

/// <summary>SDCA regression settings a user may set; null leaves ML.NET's heuristic in charge.</summary>
public sealed record TrainerOptions(float? L2 = null, float? L1 = null, int? MaxIterations = null);

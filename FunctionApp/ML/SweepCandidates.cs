namespace ServerlessML.ML;

/// <summary>
/// The candidates a sweep tries, in order: each trainer with its defaults first (so even a small sweep compares SDCA
/// with the trees), then an SDCA grid over L2, L1 and the number of passes. L2 stays at 0.001 and above: on standardized
/// features smaller values let SDCA diverge on small datasets, and larger ones shrink the weights far below the fit.
/// </summary>
public static class SweepCandidates
{
    public static IReadOnlyList<TrainerOptions> All { get; } =
    [
        new TrainerOptions(),
        new TrainerOptions(Kind: TrainerKind.FastTree),
        new TrainerOptions(Kind: TrainerKind.LightGbm),
        .. from l2 in new float[] { 0.001f, 0.003f, 0.01f, 0.03f, 0.1f }
           from l1 in new float[] { 0f, 0.01f }
           from iterations in new int?[] { null, 100 }
           select new TrainerOptions(l2, l1, iterations),
    ];

    /// <summary>The first <paramref name="count"/> candidates.</summary>
    public static IReadOnlyList<TrainerOptions> Take(int count) => All.Take(count).ToArray();
}

using System.Globalization;
using ServerlessML.ML;

namespace ServerlessML.Training;

/// <summary>When a newly trained version becomes <c>production</c>.</summary>
public enum PromotionPolicy
{
    /// <summary>When it beats predicting the training mean, and the current production version's RMSE on the new
    /// test split (or there is none).</summary>
    Auto,

    /// <summary>Whatever its metrics (the reason and the run's warnings say when it is no better than the mean).</summary>
    Always,

    /// <summary>Never: only <c>latest</c> moves; promote by moving the alias through the API.</summary>
    Never,
}

/// <summary>The current production version scored on the new test split; Metrics null when it could not be.</summary>
public sealed record ChampionEvaluation(int? Version, RegressionMetrics? Metrics, string? NotComparable);

/// <summary>The champion in a <see cref="PromotionDecision"/>: which version and its RMSE on the same test split.</summary>
public sealed record Champion(int Version, double? Rmse);

/// <summary>What the run decided about <c>production</c>, and why, with both RMSEs.</summary>
public sealed record PromotionDecision(PromotionPolicy Policy, bool Promote, string Reason, double? ChallengerRmse, Champion? Champion)
{
    /// <summary>
    /// The decision, made in the orchestrator: pure and deterministic. With <see cref="PromotionPolicy.Auto"/> a model
    /// that does not beat predicting the mean on its test split (<see cref="RegressionMetrics.BeatsBaseline"/>: an
    /// RMSE below the training mean's and an R² above 0) is never promoted, even when there is no production version.
    /// </summary>
    public static PromotionDecision Decide(PromotionPolicy policy, RegressionMetrics challenger, ChampionEvaluation champion)
    {
        var current = champion.Version is { } v ? new Champion(v, champion.Metrics?.Rmse) : null;
        var learned = challenger.BeatsBaseline();
        var (promote, reason) = (policy, current, champion.Metrics?.Rmse, challenger.Rmse) switch
        {
            (PromotionPolicy.Always, _, _, _) when learned => (true, "promote=always"),
            (PromotionPolicy.Always, _, _, _) => (true, $"promote=always, although it does not beat predicting the mean ({AgainstTheMean(challenger)})"),
            (PromotionPolicy.Never, _, _, _) => (false, "promote=never: production stays as it is"),
            _ when !learned => (false, $"it does not beat predicting the mean on this test split ({AgainstTheMean(challenger)}): not promoted; " +
                (current is null ? "there is no production version yet" : $"production stays v{current.Version}")),
            (_, null, _, _) => (true, "there was no production version yet, and it beats predicting the mean"),
            (_, _, null, _) => (false, $"production v{current.Version} could not be scored on this data ({champion.NotComparable}); " +
                "it stays in production: promote this version by moving the alias, or train with promote=always"),
            (_, _, { } old, { } @new) when @new < old => (true, $"RMSE {Format(@new)} beats production v{current.Version}'s {Format(old)} on this test split"),
            (_, _, { } old, var @new) => (false, $"RMSE {Format(@new)} does not beat production v{current.Version}'s {Format(old)} on this test split; production stays v{current.Version}"),
        };
        return new PromotionDecision(policy, promote, reason, challenger.Rmse, current);
    }

    private static string AgainstTheMean(RegressionMetrics metrics) =>
        $"RMSE {Format(metrics.Rmse)} against the training mean's {Format(metrics.BaselineRmse)}, R² {Format(metrics.RSquared)}";

    private static string Format(double? value) => value?.ToString("G4", CultureInfo.InvariantCulture) ?? "undefined";
}

using ServerlessML.ML;
using ServerlessML.Training;

namespace ServerlessML.Tests.Training;

/// <summary>The promotion decision on its own: pure, so every case is one call.</summary>
public sealed class PromotionDecisionTests
{
    private static readonly RegressionMetrics Good = new(RSquared: 0.9, Rmse: 0.5, Mae: 0.4, BaselineRmse: 1.6);
    private static readonly ChampionEvaluation NoProduction = new(null, null, null);

    // A model that does not beat predicting the mean: a worse RMSE than the training mean's; R² far below 0; a
    // constant label, where R² is undefined and the mean's RMSE is 0; a better RMSE than the training mean's but an R²
    // below 0 (worse than the test split's own mean, as the README's five-row sample was).
    private static readonly object[] NoBetterThanTheMean =
    [
        new RegressionMetrics(RSquared: 0.01, Rmse: 1.7, Mae: 1.2, BaselineRmse: 1.6),
        new RegressionMetrics(RSquared: -1272, Rmse: 57, Mae: 40, BaselineRmse: 1.6),
        new RegressionMetrics(RSquared: null, Rmse: 0, Mae: 0, BaselineRmse: 0),
        new RegressionMetrics(RSquared: -55.6, Rmse: 1.13, Mae: 0.98, BaselineRmse: 2.99),
    ];

    [Test]
    public void Decide_AutoWithoutProduction_ModelThatBeatsTheMean_IsPromoted()
    {
        var decision = PromotionDecision.Decide(PromotionPolicy.Auto, Good, NoProduction);

        Assert.That(decision.Promote, Is.True);
        Assert.That(decision.Reason, Is.EqualTo("there was no production version yet, and it beats predicting the mean"));
        Assert.That(decision.Champion, Is.Null);
    }

    [TestCaseSource(nameof(NoBetterThanTheMean))]
    public void Decide_AutoWithoutProduction_ModelNoBetterThanTheMean_IsNotPromoted(RegressionMetrics metrics)
    {
        var decision = PromotionDecision.Decide(PromotionPolicy.Auto, metrics, NoProduction);

        Assert.That(decision.Promote, Is.False);
        Assert.That(decision.Reason, Does.StartWith("it does not beat predicting the mean on this test split (RMSE ")
            .And.EndWith("not promoted; there is no production version yet"));
    }

    [TestCaseSource(nameof(NoBetterThanTheMean))]
    public void Decide_AutoWithProduction_ChallengerThatBeatsProductionButNotTheMean_IsNotPromoted(RegressionMetrics metrics)
    {
        var champion = new ChampionEvaluation(3, metrics with { Rmse = metrics.Rmse + 10 }, null);

        var decision = PromotionDecision.Decide(PromotionPolicy.Auto, metrics, champion);

        Assert.That(decision.Promote, Is.False);
        Assert.That(decision.Reason, Does.Contain("does not beat predicting the mean").And.EndWith("production stays v3"));
        Assert.That(decision.Champion, Is.EqualTo(new Champion(3, metrics.Rmse + 10)));
    }

    [Test]
    public void Decide_AutoWithProduction_ChallengerThatBeatsTheMeanAndProduction_IsPromoted()
    {
        var decision = PromotionDecision.Decide(PromotionPolicy.Auto, Good, new ChampionEvaluation(3, Good with { Rmse = 0.7 }, null));

        Assert.That(decision.Promote, Is.True);
        Assert.That(decision.Reason, Is.EqualTo("RMSE 0.5 beats production v3's 0.7 on this test split"));
    }

    [Test]
    public void Decide_Always_ModelNoBetterThanTheMean_IsPromotedAndSaysSo()
    {
        var decision = PromotionDecision.Decide(PromotionPolicy.Always, new RegressionMetrics(-1272, 57, 40, 1.6), NoProduction);

        Assert.That(decision.Promote, Is.True);
        Assert.That(decision.Reason, Is.EqualTo("promote=always, although it does not beat predicting the mean (RMSE 57 against the training mean's 1.6, R² -1272)"));
    }

    [Test]
    public void Decide_Always_ModelThatBeatsTheMean_SaysOnlyThePolicy()
    {
        var decision = PromotionDecision.Decide(PromotionPolicy.Always, Good, NoProduction);

        Assert.That(decision.Promote, Is.True);
        Assert.That(decision.Reason, Is.EqualTo("promote=always"));
    }

    [Test]
    public void Decide_Never_IsNeverPromoted()
    {
        var decision = PromotionDecision.Decide(PromotionPolicy.Never, Good, NoProduction);

        Assert.That(decision.Promote, Is.False);
        Assert.That(decision.Reason, Is.EqualTo("promote=never: production stays as it is"));
    }
}

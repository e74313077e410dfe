using ServerlessML.Data;

namespace ServerlessML.Tests.Data;

public sealed class DatasetSplitTests
{
    [TestCase(10, 0.2, 42)]
    [TestCase(1001, 0.25, 7)]
    [TestCase(50_000, 0.2, -3)]
    public void Rows_AreTheShufflesFirstRowsToTestAndTheRestToTrain_EachInAscendingOrder(int rows, double testFraction, int seed)
    {
        var order = DatasetSplit.Shuffle(rows, seed);
        var testRows = DatasetSplit.TestRows(rows, testFraction);

        var (train, test) = DatasetSplit.Rows(rows, testFraction, seed);

        Assert.That(test, Is.EqualTo(order[..testRows].Order()));
        Assert.That(train, Is.EqualTo(order[testRows..].Order()));
        Assert.That(train.Concat(test).Order(), Is.EqualTo(Enumerable.Range(0, rows)));
    }

    [Test]
    public void Rows_TheSameSeed_GivesTheSameSplit_AnotherSeedAnother()
    {
        var (train, test) = DatasetSplit.Rows(1000, 0.2, 42);

        Assert.That(DatasetSplit.Rows(1000, 0.2, 42).Test, Is.EqualTo(test));
        Assert.That(DatasetSplit.Rows(1000, 0.2, 42).Train, Is.EqualTo(train));
        Assert.That(DatasetSplit.Rows(1000, 0.2, 43).Test, Is.Not.EqualTo(test));
    }
}

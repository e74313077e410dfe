using System.Text;
using ServerlessML.Data;
using ServerlessML.ML;
using ServerlessML.Serving;

namespace ServerlessML.Tests.Serving;

public sealed class FeatureBatchReaderTests
{
    private static readonly ModelSchema s_wide = new("y", Enumerable.Range(0, 70).Select(i => new FeatureSchema($"f{i}", ColumnKind.Numeric)).ToArray());

    [Test]
    public void Read_FeatureBeyondTheSixtyFourthNamedTwice_IsRefused()
    {
        var instance = string.Join(", ", Enumerable.Range(0, 69).Select(i => $"\"f{i}\": 1")) + ", \"f68\": 2";

        var error = Assert.Throws<InvalidRequestException>(() => Read($$"""{"instances": [{{{instance}}}]}"""));

        Assert.That(error!.Message, Is.EqualTo("instances[0] names 'f68' more than once."));
    }

    [Test]
    public void Read_FeatureBeyondTheSixtyFourthMissing_IsNamed()
    {
        var instance = string.Join(", ", Enumerable.Range(0, 70).Where(i => i != 66).Select(i => $"\"f{i}\": 1"));

        var error = Assert.Throws<InvalidRequestException>(() => Read($$"""{"instances": [{{{instance}}}]}"""));

        Assert.That(error!.Message, Does.StartWith("instances[0] has no 'f66'."));
    }

    [Test]
    public void Read_AllSeventyFeaturesInAnyOrder_ReadsThem()
    {
        var instance = string.Join(", ", Enumerable.Range(0, 70).Reverse().Select(i => $"\"f{i}\": {i}"));

        var (batch, _) = Read($$"""{"instances": [{{{instance}}}]}""");

        using (batch)
        {
            Assert.That(batch.Numbers.Take(70), Is.EqualTo(Enumerable.Range(0, 70).Select(i => (float)i)));
        }
    }

    [Test]
    public void Read_MalformedJsonAfterTheValues_NamesItsLineCountedFromTheStartOfTheBody()
    {
        // The values are read on from where the header stopped; the line count goes on with them.
        var instance = string.Join(", ", Enumerable.Range(0, 70).Select(i => $"\"f{i}\": 1"));

        var error = Assert.Throws<InvalidRequestException>(() => Read($$"""
            {
            "instances": [
            {{{instance}}}], "version": oops}
            """));

        Assert.That(error!.Message, Does.StartWith("The body is not valid JSON at line 3, byte "));
    }

    [Test]
    public void Read_VersionNamedAfterTheValues_IsTheTarget()
    {
        var instance = string.Join(", ", Enumerable.Range(0, 70).Select(i => $"\"f{i}\": 1"));

        var (batch, target) = Read($$"""{"model": "wide", "instances": [{{{instance}}}, {{{instance}}}], "version": 3}""");

        using (batch)
        {
            Assert.That(batch.Rows, Is.EqualTo(2));
            Assert.That(target, Is.EqualTo(new ModelTarget("wide", 3, null)));
        }
    }

    private static (FeatureBatch Batch, ModelTarget Target) Read(string json) =>
        new FeatureBatchReader(s_wide, "wide").Read(PredictionRequest.Parse(Encoding.UTF8.GetBytes(json)), maxInstances: 10);
}

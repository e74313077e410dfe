using System.Text.Json;
using ServerlessML.Data;

namespace ServerlessML.Tests.Data;

public sealed class JsonDatasetReaderTests
{
    [Test]
    public void Read_Records_InAnyFieldOrder_FillEveryColumnInRowOrder()
    {
        var dataset = Read("""[{"x": 1, "city": "Oslo", "y": 2}, {"y": 4, "x": 3, "city": "Bergen"}, {"city": null, "y": 6, "x": 5}]""");

        Assert.That(((NumericColumn)dataset.Table["x"]).Values, Is.EqualTo(new[] { 1f, 3f, 5f }));
        Assert.That(((NumericColumn)dataset.Table["y"]).Values, Is.EqualTo(new[] { 2f, 4f, 6f }));
        var city = (CategoricalColumn)dataset.Table["city"];
        Assert.That(new[] { city.ValueAt(0), city.ValueAt(1), city.ValueAt(2) }, Is.EqualTo(new[] { "Oslo", "Bergen", null }));
    }

    [TestCase("""[{"x": 1, "y": 2}, {"x": 1, "x": 2}]""", "data[1] has the field 'x' more than once")]
    [TestCase("""[{"x": 1, "y": 2}, {"x": 1}]""", "data[1] has no field 'y'")]
    [TestCase("""[{"x": 1, "y": 2}, {"x": 1, "z": 2}]""", "data[1] has the field 'z', which data[0] does not have")]
    [TestCase("""[[1, 2], [3, "four"]]""", "data[1][1] is the string \"four\": rows hold numbers (or null) only")]
    [TestCase("""[[1, 2], [true, 3]]""", "data[1][0]: 'x1' must be a number or null, not the boolean true")]
    public void Read_BadRecordsOrRows_NameTheValue(string json, string detail)
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Read(json));

        Assert.That(error!.Message, Does.Contain(detail));
    }

    [Test]
    public void Read_ManyRowsOfManyColumns_IsOverTheCellLimitBeforeAnyValueIsRead()
    {
        // data[1] would be refused for its missing fields: the size is checked first, before anything is allocated for it.
        var json = "[{\"a\": 1, \"b\": 2, \"y\": 3}" + string.Concat(Enumerable.Repeat(", {}", 100)) + "]";

        var error = Assert.Throws<LimitExceededException>(() => Read(json, new DatasetReadOptions { MaxCells = 100 }));

        Assert.That(error!.Message, Does.Contain("101 rows of 2 feature values each"));
    }

    private static Dataset Read(string json, DatasetReadOptions? options = null)
    {
        using var document = JsonDocument.Parse(json);
        return JsonDatasetReader.Read(document.RootElement, options ?? new DatasetReadOptions());
    }
}

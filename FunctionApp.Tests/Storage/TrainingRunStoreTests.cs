using Microsoft.Extensions.DependencyInjection;
using ServerlessML.Data;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Storage;

public sealed class TrainingRunStoreTests
{
    [Test]
    public async Task WriteThenRead_RowsInManyPieces_ComeBackInTheirOrder()
    {
        await using var services = AppServices.Build();
        var store = new TrainingRunStore(services.GetRequiredService<BlobContainers>(), valuesPerPiece: 3_000);
        var dataset = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(10_000, withCity: true, missingRate: 0.05)), new DatasetReadOptions());
        var rows = Enumerable.Range(0, 10_000).Where(r => r % 3 != 0).Reverse().ToArray();
        var path = new BlobPath(BlobContainers.Training, $"{Guid.NewGuid():N}/train.table");

        await store.WriteTableAsync(path, dataset, rows, CancellationToken.None);
        var read = await store.ReadTableAsync(path, CancellationToken.None);

        var expected = new Dataset(dataset.Table.Take(rows), dataset.Label);
        Assert.That(read.Label, Is.EqualTo("y"));
        Assert.That(((NumericColumn)read.Table["x1"]).Values, Is.EqualTo(((NumericColumn)expected.Table["x1"]).Values));
        Assert.That(((NumericColumn)read.Table["y"]).Values, Is.EqualTo(((NumericColumn)expected.Table["y"]).Values));
        var city = (CategoricalColumn)read.Table["city"];
        Assert.That(Enumerable.Range(0, city.Count).Select(city.ValueAt), Is.EqualTo(Enumerable.Range(0, city.Count).Select(((CategoricalColumn)expected.Table["city"]).ValueAt)));
    }

    [Test]
    public async Task WriteThenRead_HeaderLargerThanTheFirstRead_IsReadWhole()
    {
        await using var services = AppServices.Build();
        var store = services.GetRequiredService<TrainingRunStore>();
        var levels = Enumerable.Range(0, 1000).Select(i => $"a category level with a name long enough that a thousand of them pass 64 KB, number {i:D4}").ToArray();
        var dataset = new Dataset(
            new Table([new CategoricalColumn("level", Enumerable.Range(0, 1000).ToArray(), levels), new NumericColumn("y", new float[1000])]),
            "y");
        var path = new BlobPath(BlobContainers.Training, $"{Guid.NewGuid():N}/test.table");

        await store.WriteTableAsync(path, dataset, null, CancellationToken.None);
        var read = await store.ReadTableAsync(path, CancellationToken.None);

        Assert.That(TableSerializer.HeaderBytes(dataset, null), Has.Length.GreaterThan(64 * 1024));
        Assert.That(((CategoricalColumn)read.Table["level"]).ValueAt(999), Is.EqualTo(levels[999]));
    }
}

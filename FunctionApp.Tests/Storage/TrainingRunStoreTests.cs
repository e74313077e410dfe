using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Parquet;
using ServerlessML.Data;
using ServerlessML.Storage;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Storage;

public sealed class TrainingRunStoreTests
{
    [Test]
    public async Task WriteThenRead_SelectedRows_ComeBackInTheirOrder()
    {
        await using var services = AppServices.Build();
        var store = services.GetRequiredService<TrainingRunStore>();
        var dataset = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(10_000, withCity: true, missingRate: 0.05)), new DatasetReadOptions());
        var rows = Enumerable.Range(0, 10_000).Where(r => r % 3 != 0).Reverse().ToArray();
        var path = new BlobPath(BlobContainers.Training, $"{Guid.NewGuid():N}/train.parquet");

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
    public async Task WriteThenRead_CategoriesAbsentFromTheSplit_KeepTheirCodes()
    {
        await using var services = AppServices.Build();
        var store = services.GetRequiredService<TrainingRunStore>();
        var levels = Enumerable.Range(0, 1000).Select(i => $"level {i:D4}").ToArray();
        var dataset = new Dataset(
            new Table([new CategoricalColumn("level", [.. Enumerable.Range(0, 1000).Select(i => i % 10 == 0 ? CategoricalColumn.Missing : i)], levels), new NumericColumn("y", new float[1000])]),
            "y");
        var path = new BlobPath(BlobContainers.Training, $"{Guid.NewGuid():N}/test.parquet");

        await store.WriteTableAsync(path, dataset, [999, 998, 10, 3], CancellationToken.None);
        var read = (CategoricalColumn)(await store.ReadTableAsync(path, CancellationToken.None)).Table["level"];

        Assert.That(read.Levels, Is.EqualTo(levels));
        Assert.That(read.Codes, Is.EqualTo(new[] { 999, 998, CategoricalColumn.Missing, 3 }));
    }

    [Test]
    public async Task Split_IsAPlainParquetFile_WithFloatAndStringColumns()
    {
        await using var services = AppServices.Build();
        var store = services.GetRequiredService<TrainingRunStore>();
        var dataset = CsvTableReader.Read(SyntheticData.Bytes(SyntheticData.Csv(100, withCity: true)), new DatasetReadOptions());
        var path = new BlobPath(BlobContainers.Training, $"{Guid.NewGuid():N}/train.parquet");

        await store.WriteTableAsync(path, dataset, null, CancellationToken.None);
        var blob = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(path.Container).GetBlobClient(path.Name);
        var content = (await blob.DownloadContentAsync()).Value;
        await using var reader = await ParquetReader.CreateAsync(content.Content.ToStream());

        Assert.That(content.Details.ContentType, Is.EqualTo("application/vnd.apache.parquet"));
        Assert.That(reader.Schema.GetDataFields().Select(f => $"{f.Name}:{(f.ClrType == typeof(ReadOnlyMemory<char>) ? "String" : f.ClrType.Name)}"),
            Is.EqualTo(new[] { "x1:Single", "x2:Single", "city:String", "y:Single" }));
        Assert.That(reader.RowGroups.Sum(g => g.RowCount), Is.EqualTo(100));
    }
}

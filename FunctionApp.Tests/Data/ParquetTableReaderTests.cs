using ServerlessML.Data;
using ServerlessML.Tests.Infrastructure;

namespace ServerlessML.Tests.Data;

public sealed class ParquetTableReaderTests
{
    [Test]
    public async Task Read_TypedColumns_MapOntoNumericAndCategoricalWithNullsMissing()
    {
        var parquet = await ParquetFiles.HousesAsync(rows: 8);

        var dataset = await ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions(), CancellationToken.None);

        Assert.That(dataset.Label, Is.EqualTo("Price"));
        Assert.That(dataset.Table.Columns.Select(c => c.Kind), Is.EqualTo(new[] { ColumnKind.Numeric, ColumnKind.Categorical, ColumnKind.Numeric, ColumnKind.Numeric, ColumnKind.Numeric }));
        Assert.That(((NumericColumn)dataset.Table["Size"]).Values, Is.EqualTo(new[] { 50f, 51, 52, 53, 54, 55, 56, 57 }));
        var city = (CategoricalColumn)dataset.Table["City"];
        Assert.That(Enumerable.Range(0, 8).Select(city.ValueAt), Is.EqualTo(new[] { "Oslo", "Bergen", "Oslo", null, "Oslo", "Bergen", "Oslo", "Bergen" }));
        Assert.That(((NumericColumn)dataset.Table["Rooms"]).Values, Is.EqualTo(new[] { 1f, 2, 3, 4, float.NaN, 2, 3, 4 }));
        Assert.That(((NumericColumn)dataset.Table["Garden"]).Values, Is.EqualTo(new[] { 1f, 0, 0, 1, 0, 0, 1, 0 }));
        Assert.That(dataset.LabelColumn.Values[1], Is.EqualTo(1.6f));
    }

    [Test]
    public async Task Profile_CountsRowsMissingValuesAndCategories()
    {
        var parquet = await ParquetFiles.HousesAsync(rows: 40);

        var profile = await ParquetTableReader.ProfileAsync(new MemoryStream(parquet), new DatasetReadOptions(), CancellationToken.None);

        Assert.That(profile.Rows, Is.EqualTo(40));
        Assert.That(profile.Columns.Select(c => (c.Name, c.Kind, c.Missing, c.Levels)), Is.EqualTo(new (string, ColumnKind, long, int?)[]
        {
            ("Size", ColumnKind.Numeric, 0, null),
            ("City", ColumnKind.Categorical, 6, 2),
            ("Rooms", ColumnKind.Numeric, 8, null),
            ("Garden", ColumnKind.Numeric, 0, null),
            ("Price", ColumnKind.Numeric, 0, null),
        }));
    }

    [Test]
    public async Task Read_Garbage_IsRefusedAsNotParquet()
    {
        var garbage = "x,y\n1,2\n3,4\n"u8.ToArray();

        var error = Assert.ThrowsAsync<InvalidDatasetException>(() => ParquetTableReader.ReadAsync(new MemoryStream(garbage), new DatasetReadOptions(), CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("The body is not a Parquet file: it does not start and end with 'PAR1'."));
    }

    [Test]
    public async Task Read_FileCutShort_IsRefusedAsNotParquet()
    {
        var parquet = await ParquetFiles.HousesAsync();

        var error = Assert.ThrowsAsync<InvalidDatasetException>(() => ParquetTableReader.ReadAsync(new MemoryStream(parquet[..(parquet.Length / 2)]), new DatasetReadOptions(), CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("The body is not a whole Parquet file: it starts with 'PAR1' but does not end with it"));
    }

    [Test]
    public async Task Read_DamagedColumnData_IsRefusedNamingTheColumnOrTheFile()
    {
        var parquet = await ParquetFiles.HousesAsync(rows: 200);
        // Scribble over the data pages, keeping the footer (schema and offsets) intact.
        for (var i = 8; i < parquet.Length / 2; i++)
        {
            parquet[i] = (byte)(i * 31);
        }

        var error = Assert.ThrowsAsync<InvalidDatasetException>(() => ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions(), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("Parquet file"));
    }

    [Test]
    public async Task Read_DateColumn_IsRefusedNamingTheColumn()
    {
        var parquet = await ParquetFiles.WriteAsync(new[] { new Dated { Sold = DateTime.UnixEpoch, Price = 1 }, new Dated { Sold = DateTime.UnixEpoch, Price = 2 } });

        var error = Assert.ThrowsAsync<InvalidDatasetException>(() => ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions(), CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("Column 'Sold' holds dates, which cannot be trained on."));
    }

    [Test]
    public async Task Read_ListColumn_IsRefusedNamingTheColumn()
    {
        var parquet = await ParquetFiles.WriteAsync(new[] { new Listed { Sizes = [1, 2], Price = 1 }, new Listed { Sizes = [3], Price = 2 } });

        var error = Assert.ThrowsAsync<InvalidDatasetException>(() => ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions(), CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("Column 'Sizes' is a list, not a plain column."));
    }

    [Test]
    public async Task Read_TextLabel_IsRefused()
    {
        var parquet = await ParquetFiles.HousesAsync();

        var error = Assert.ThrowsAsync<InvalidDatasetException>(() => ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions { Label = "City" }, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("The label 'City' is a text column"));
    }

    [Test]
    public async Task Read_NullLabel_NamesTheRow()
    {
        var parquet = await ParquetFiles.HousesAsync();

        var error = Assert.ThrowsAsync<InvalidDatasetException>(() => ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions { Label = "Rooms" }, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("Row 5: the label 'Rooms' is null."));
    }

    [Test]
    public async Task Read_TooManyColumns_IsOverTheLimit()
    {
        var parquet = await ParquetFiles.HousesAsync();

        var error = Assert.ThrowsAsync<LimitExceededException>(() => ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions { MaxColumns = 4 }, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("The dataset has 5 columns; at most 4 are allowed"));
    }

    [Test]
    public async Task Read_TooManyCells_IsOverTheLimitBeforeValuesAreRead()
    {
        var parquet = await ParquetFiles.HousesAsync(rows: 40);

        var error = Assert.ThrowsAsync<LimitExceededException>(() => ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions { MaxCells = 100 }, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("40 rows of 4 feature values each"));
    }

    [Test]
    public async Task Read_TooManyCategories_NamesTheColumn()
    {
        var parquet = await ParquetFiles.HousesAsync();

        var error = Assert.ThrowsAsync<InvalidDatasetException>(() => ParquetTableReader.ReadAsync(new MemoryStream(parquet), new DatasetReadOptions { MaxCategoricalLevels = 1 }, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("Column 'City' has more than 1 distinct text values"));
    }

    [Test]
    public async Task SampleParquet_HoldsWhatTheSampleCsvHolds()
    {
        var samples = Path.Combine(Azurite.RepoRoot(), "samples");
        var options = new DatasetReadOptions { Label = "price" };

        var fromParquet = await ParquetTableReader.ReadAsync(File.OpenRead(Path.Combine(samples, "houses.parquet")), options, CancellationToken.None);
        var fromCsv = CsvTableReader.Read(await File.ReadAllBytesAsync(Path.Combine(samples, "houses.csv")), options);

        Assert.That(fromParquet.Table.Columns.Select(c => (c.Name, c.Kind)), Is.EqualTo(fromCsv.Table.Columns.Select(c => (c.Name, c.Kind))));
        foreach (var column in fromCsv.Table.Columns)
        {
            Assert.That(Values(fromParquet.Table[column.Name]), Is.EqualTo(Values(column)), column.Name);
        }
    }

    private static IEnumerable<object?> Values(Column column) => column switch
    {
        NumericColumn numeric => numeric.Values.Cast<object?>(),
        CategoricalColumn categorical => Enumerable.Range(0, categorical.Count).Select(categorical.ValueAt),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    public sealed class Dated
    {
        public DateTime Sold { get; init; }

        public double Price { get; init; }
    }

    public sealed class Listed
    {
        public List<int> Sizes { get; init; } = [];

        public double Price { get; init; }
    }
}

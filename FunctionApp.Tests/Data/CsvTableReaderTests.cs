using System.Text;
using ServerlessML.Data;

namespace ServerlessML.Tests.Data;

public sealed class CsvTableReaderTests
{
    [Test]
    public void Read_QuotedFieldsAndCrLf_KeepsCommasQuotesAndLineBreaks()
    {
        var csv = "\"size (m²)\",\"say \"\"hi\"\"\",y\r\n1.5,\"a, b\",2\r\n2.5,\"line\nbreak\",3\r\n";

        var dataset = Read(csv);

        Assert.That(dataset.Table.Columns.Select(c => c.Name), Is.EqualTo(new[] { "size (m²)", "say \"hi\"", "y" }));
        var text = (CategoricalColumn)dataset.Table["say \"hi\""];
        Assert.That(new[] { text.ValueAt(0), text.ValueAt(1) }, Is.EqualTo(new[] { "a, b", "line\nbreak" }));
        Assert.That(((NumericColumn)dataset.Table["size (m²)"]).Values, Is.EqualTo(new[] { 1.5f, 2.5f }));
    }

    [Test]
    public void Read_DefaultLabel_IsTheLastColumn()
    {
        var dataset = Read("a,b,target\n1,2,3\n");

        Assert.That(dataset.Label, Is.EqualTo("target"));
    }

    [Test]
    public void Read_EmptyField_IsMissing()
    {
        var dataset = Read("x,city,y\n,Oslo,1\n2,,2\n");

        Assert.That(float.IsNaN(((NumericColumn)dataset.Table["x"]).Values[0]), Is.True);
        Assert.That(((CategoricalColumn)dataset.Table["city"]).ValueAt(1), Is.Null);
    }

    [Test]
    public void Read_TextAfterNumbers_TurnsColumnCategoricalWithEarlierRowsAsText()
    {
        var rows = string.Concat(Enumerable.Range(0, 5000).Select(i => $"{i % 7},{i}\n"));

        var dataset = Read("code,y\n" + rows + "A7,1\n");

        var code = (CategoricalColumn)dataset.Table["code"];
        Assert.That(code.ValueAt(0), Is.EqualTo("0"));
        Assert.That(code.ValueAt(4999), Is.EqualTo("1"));
        Assert.That(code.ValueAt(5000), Is.EqualTo("A7"));
        Assert.That(code.Levels, Has.Count.EqualTo(8));
    }

    [Test]
    public async Task ReadAsync_SmallChunks_MatchesReadingAtOnce()
    {
        var csv = SyntheticData.Bytes("a,\"b\"\"q\",city,y\r\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => $"{i},\"{i}\"\"\",\"c\r\n{i % 3}\",{i * 2}\r\n")) + "1,2,x,3");
        var options = new DatasetReadOptions { MaxCategoricalLevels = 10_000 };
        var expected = CsvTableReader.Read(csv, options);

        var actual = await CsvTableReader.ReadAsync(_ => Task.FromResult<Stream>(new TrickleStream(csv, 7)), options, CancellationToken.None);

        Assert.That(actual.RowCount, Is.EqualTo(3001));
        Assert.That(((NumericColumn)actual.Table["y"]).Values, Is.EqualTo(((NumericColumn)expected.Table["y"]).Values));
        Assert.That(((CategoricalColumn)actual.Table["city"]).ValueAt(2999), Is.EqualTo("c\r\n2"));
        Assert.That(((CategoricalColumn)actual.Table["b\"q"]).ValueAt(5), Is.EqualTo("5\""));
    }

    [TestCase(15_000, 20_000, "Line 15000: the label 'y'")]
    [TestCase(20_000, 15_000, "Line 15000, column 'x2'")]
    [TestCase(15_000, 15_000, "Line 15000, column 'x2'")]
    public void Read_LargeFileWithTwoBadValues_ReportsTheFirstARowByRowReadWouldMeet(int badLabelLine, int badNumberLine, string expected)
    {
        var lines = SyntheticData.Csv(30_000).Split('\n');
        lines[badLabelLine - 1] = "1,2,abc";
        lines[badNumberLine - 1] = lines[badNumberLine - 1] == "1,2,abc" ? "1,NaN,abc" : "1,NaN,3";

        var error = Assert.Throws<InvalidDatasetException>(() => Read(string.Join('\n', lines)));

        Assert.That(error!.Message, Does.StartWith(expected));
    }

    [Test]
    public void Read_ErrorInAnEarlierChunk_WinsOverALaterChunksError()
    {
        var lines = SyntheticData.Csv(60_000).Split('\n');
        lines[4] = "NaN,1,2";

        var error = Assert.Throws<InvalidDatasetException>(() => Read(string.Join('\n', lines) + "\"1,2,3\n"));

        Assert.That(lines.Sum(l => l.Length), Is.GreaterThan(2 << 20), "the file spans several chunks");
        Assert.That(error!.Message, Does.StartWith("Line 5, column 'x1'"));
    }

    [Test]
    public async Task Read_LargeFileInMegabyteChunks_EqualsReadingItInSmallPieces()
    {
        var csv = SyntheticData.Bytes(SyntheticData.Csv(40_000, withCity: true, missingRate: 0.02));

        var whole = CsvTableReader.Read(csv, new DatasetReadOptions());
        var pieces = await CsvTableReader.ReadAsync(_ => Task.FromResult<Stream>(new TrickleStream(csv, 333)), new DatasetReadOptions(), CancellationToken.None);

        foreach (var name in new[] { "x1", "x2", "y" })
        {
            Assert.That(((NumericColumn)whole.Table[name]).Values, Is.EqualTo(((NumericColumn)pieces.Table[name]).Values), name);
        }

        var city = (CategoricalColumn)whole.Table["city"];
        Assert.That(Enumerable.Range(0, city.Count).Select(city.ValueAt), Is.EqualTo(Enumerable.Range(0, city.Count).Select(((CategoricalColumn)pieces.Table["city"]).ValueAt)));
    }

    [Test]
    public void Read_DeclaredCategorical_KeepsNumericLookingText()
    {
        var dataset = Read("zip,y\n0150,1\n0151,2\n", new DatasetReadOptions { Kinds = new Dictionary<string, ColumnKind> { ["zip"] = ColumnKind.Categorical } });

        Assert.That(((CategoricalColumn)dataset.Table["zip"]).ValueAt(0), Is.EqualTo("0150"));
    }

    [TestCase("", "empty")]
    [TestCase("1,2,3\n4,5,6\n", "looks like data, not a header")]
    [TestCase("x,y\n1,2\n3\n", "Line 3 has 1 field but the header has 2")]
    [TestCase("x,y\n1,2\n3,4,5\n", "Line 3 has 3 fields")]
    [TestCase("x,y\n1,2\n3,abc\n", "Line 3: the label 'y' has the value 'abc', which is not a number")]
    [TestCase("x,y\n1,\n", "Line 2: the label 'y' is empty")]
    [TestCase("x,y\n1,2\nNaN,3\n", "Line 3, column 'x': 'NaN' is not a finite number")]
    [TestCase("x,y\n1,2\n-Infinity,3\n", "'-Infinity' is not a finite number")]
    [TestCase("x,y\n1e39,3\n", "'1e39' is not a finite number")]
    [TestCase("x,y\n", "no data rows")]
    [TestCase("x,x,y\n1,2,3\n", "'x' appears twice")]
    [TestCase("x,,y\n1,2,3\n", "Column 2 has no name")]
    [TestCase("x,y\n\"1,2\n", "Line 2: a quoted field is never closed")]
    [TestCase("x,y\n\"1\"2,3\n", "Line 2: unexpected text after the closing quote")]
    [TestCase("x,e,y\n1,,2\n", "Column 'e' has no values")]
    [TestCase("y\n1\n", "at least one feature column")]
    public void Read_BadCsv_SaysWhatToFix(string csv, string expected)
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Read(csv));

        Assert.That(error!.Message, Does.Contain(expected));
    }

    [TestCase("x,y\n\"a\nb\",1\n2,abc\n", "Line 4: the label 'y' has the value 'abc'")]
    [TestCase("x,y\r\r1,2\r3,abc\r", "Line 4: the label 'y' has the value 'abc'")]
    [TestCase("\n\r\nx,y\n1,a\n", "Line 4: the label 'y' has the value 'a'")]
    [TestCase("x,y\n\"a\r\nb\"c,1\n", "Line 3: unexpected text after the closing quote of field 1")]
    [TestCase("size,y\n5\",1\n6\",2\n", "Line 2, column 'size': '5\",1\n6\"' has a quote inside a field that does not start with one")]
    public void Read_BadValue_NamesTheLineItIsOn(string csv, string expected)
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Read(csv));

        Assert.That(error!.Message, Does.StartWith(expected));
    }

    [Test]
    public async Task Read_ByteOrderMark_IsNotPartOfTheFirstName()
    {
        var csv = SyntheticData.Bytes("\uFEFFx,y\n1,2\n");

        var dataset = CsvTableReader.Read(csv, new DatasetReadOptions());
        var streamed = await CsvTableReader.ReadAsync(_ => Task.FromResult<Stream>(new MemoryStream(csv)), new DatasetReadOptions(), CancellationToken.None);

        Assert.That(csv[0], Is.EqualTo(0xEF));
        Assert.That(dataset.Table.Columns.Select(c => c.Name), Is.EqualTo(new[] { "x", "y" }));
        Assert.That(streamed.Table.Columns.Select(c => c.Name), Is.EqualTo(new[] { "x", "y" }));
    }

    [Test]
    public void Read_SpacesAroundAQuotedField_AreTrimmedAndItsContentKept()
    {
        var dataset = Read("x,city,y\n1 , \" Oslo \" ,2\n");

        Assert.That(((CategoricalColumn)dataset.Table["city"]).ValueAt(0), Is.EqualTo(" Oslo "));
        Assert.That(((NumericColumn)dataset.Table["x"]).Values, Is.EqualTo(new[] { 1f }));
    }

    [Test]
    public void Read_NotUtf8InsideAQuotedFieldWithEscapes_NamesTheByteOfTheValue()
    {
        byte[] csv = [.. "x,city,y\n1,\"a\"\"Troms"u8, 0xF8, .. "\",2\n"u8];

        var error = Assert.Throws<InvalidDatasetException>(() => CsvTableReader.Read(csv, new DatasetReadOptions()));

        Assert.That(error!.Message, Does.StartWith("Line 2, column 'city': the text is not UTF-8 (its byte 8 is 0xF8)"));
    }

    [Test]
    public void Read_Utf16File_SaysItLooksLikeUtf16()
    {
        byte[] csv = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("x,y\n1,2\n")];

        var error = Assert.Throws<InvalidDatasetException>(() => CsvTableReader.Read(csv, new DatasetReadOptions()));

        Assert.That(error!.Message, Does.StartWith("Line 1, the name of column 1: the text is not UTF-8 (its byte 1 is 0xFF)").And.Contain("It looks like UTF-16"));
    }

    [Test]
    public void Read_FirstRecordLongerThanSepHolds_IsRefusedWithItsLine()
    {
        // Sep reads the first record as it opens the stream: that refusal is ours too, not a NotSupportedException.
        var csv = SyntheticData.Bytes("x" + new string('a', 17 * 1024 * 1024) + ",y\n1,2\n");

        var error = Assert.Throws<InvalidDatasetException>(() => CsvTableReader.Read(csv, new DatasetReadOptions()));

        Assert.That(error!.Message, Does.StartWith("The record that starts on line 1 is longer than 16 MB"));
    }

    [Test]
    public void ReadAsync_RecordLongerThanSepHolds_IsRefusedWithItsLine()
    {
        var csv = SyntheticData.Bytes("x,y\n1,2\n3,\"" + new string('a', 17 * 1024 * 1024));

        var error = Assert.ThrowsAsync<InvalidDatasetException>(() => CsvTableReader.ReadAsync(_ => Task.FromResult<Stream>(new MemoryStream(csv)), new DatasetReadOptions(), CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("The record that starts on line 3 is longer than 16 MB"));
    }

    [Test]
    public void Read_UnknownLabel_NamesTheColumns()
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Read("a,b\n1,2\n", new DatasetReadOptions { Label = "price" }));

        Assert.That(error!.Message, Does.Contain("'price' is not in the dataset").And.Contain("'a', 'b'"));
    }

    [Test]
    public void Read_TooManyLevels_SaysItLooksLikeAnIdentifier()
    {
        var csv = "id,y\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"u{i},1\n"));

        var error = Assert.Throws<InvalidDatasetException>(() => Read(csv, new DatasetReadOptions { MaxCategoricalLevels = 10 }));

        Assert.That(error!.Message, Does.Contain("more than 10 distinct text values").And.Contain("identifier"));
    }

    [Test]
    public void Read_Latin1Byte_NamesTheLineAndColumnAndSaysToSaveAsUtf8()
    {
        byte[] csv = [.. "x,city,y\n1,Troms"u8, 0xF8, .. ",2\n"u8];

        var error = Assert.Throws<InvalidDatasetException>(() => CsvTableReader.Read(csv, new DatasetReadOptions()));

        Assert.That(error!.Message, Does.StartWith("Line 2, column 'city': the text is not UTF-8 (its byte 6 is 0xF8)").And.Contain("save it as UTF-8"));
    }

    [Test]
    public void Read_HeaderNameNotUtf8_IsRefused()
    {
        byte[] csv = [.. "x,pr"u8, 0xE9, .. "x\n1,2\n"u8];

        var error = Assert.Throws<InvalidDatasetException>(() => CsvTableReader.Read(csv, new DatasetReadOptions()));

        Assert.That(error!.Message, Does.StartWith("Line 1, the name of column 2: the text is not UTF-8"));
    }

    [TestCase("a;b;y\n1;2;3\n", "separated by semicolons")]
    [TestCase("a\tb\ty\n1\t2\t3\n", "separated by tabs")]
    [TestCase("a,b,y\n1;2;3\n", "Line 2 has 1 field but the header has 3. Its values are separated by semicolons")]
    [TestCase("a,b,y 1,2,3 4,5,6", "single line without line breaks")]
    [TestCase("   \n1,2\n", "Line 1 is blank")]
    [TestCase("{\"data\": [[1, 2],\n[3, 4]]}\n", "it is JSON, not CSV")]
    [TestCase("", "The CSV is empty")]
    public void Read_NotQuiteCsv_SaysWhatItLooksLike(string csv, string detail)
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Read(csv));

        Assert.That(error!.Message, Does.Contain(detail));
    }

    [Test]
    public void Read_MoreColumnsThanAllowed_IsOverTheLimitAtTheHeader()
    {
        var header = string.Join(",", Enumerable.Range(0, 11).Select(i => $"c{i}"));

        var error = Assert.Throws<LimitExceededException>(() => Read($"{header}\n{new string(',', 10)}\n", new DatasetReadOptions { MaxColumns = 10 }));

        Assert.That(error!.Message, Does.Contain("has 11 columns; at most 10 are allowed (Training__MaxColumns)"));
    }

    [Test]
    public void Read_CategoriesMakeTooManyFeatureValues_IsOverTheCellLimit()
    {
        // 2 features: a number and a category of 10 levels, so 11 values per row.
        var csv = "x,city,y\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{i},c{i % 10},{i}\n"));

        var allowed = Read(csv, new DatasetReadOptions { MaxCells = 1100 });
        var error = Assert.Throws<LimitExceededException>(() => Read(csv, new DatasetReadOptions { MaxCells = 1099 }));

        Assert.That(allowed.RowCount, Is.EqualTo(100));
        Assert.That(error!.Message, Does.Contain("100 rows of 11 feature values each").And.Contain("at most 1,099 (Training__MaxCells)"));
    }

    private static Dataset Read(string csv, DatasetReadOptions? options = null) =>
        CsvTableReader.Read(Encoding.UTF8.GetBytes(csv), options ?? new DatasetReadOptions());

    /// <summary>Hands out at most a few bytes per read, so records straddle every possible chunk boundary.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}

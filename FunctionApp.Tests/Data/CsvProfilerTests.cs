using System.Text;
using ServerlessML.Data;

namespace ServerlessML.Tests.Data;

public sealed class CsvProfilerTests
{
    [Test]
    public async Task Complete_TextColumn_CountsItsDistinctValues()
    {
        var csv = "x,city,y\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{i},c{i % 7},{i}\n"));

        var profile = await ProfileAsync(csv, new DatasetReadOptions());

        Assert.That(profile.Columns.Select(c => c.Levels), Is.EqualTo(new int?[] { null, 7, null }));
    }

    [Test]
    public async Task Complete_ManyDistinctValues_CountsOneMoreThanTheLimitAndStops()
    {
        var csv = "id,y\n" + string.Concat(Enumerable.Range(0, 500).Select(i => $"u{i},{i}\n"));

        var profile = await ProfileAsync(csv, new DatasetReadOptions { MaxCategoricalLevels = 20 });

        Assert.That(profile.Columns[0].Levels, Is.EqualTo(21));
    }

    [Test]
    public void Append_TooManyColumns_IsRefusedAtTheHeaderBeforeTheRestIsTakenIn()
    {
        using var profiler = new CsvProfiler(new DatasetReadOptions { MaxColumns = 3 });
        var rows = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 100_000).Select(i => $"{i},2,3,4\n")));

        var appended = 0;

        Assert.ThrowsAsync<LimitExceededException>(async () =>
        {
            await profiler.AppendAsync("a,b,c,y\n"u8.ToArray());
            for (; appended < 100; appended++)
            {
                await profiler.AppendAsync(rows);
            }
        });

        Assert.That(appended, Is.LessThan(5), "refused while the data was still coming in");
    }

    [Test]
    public void Append_LongLineWithoutABreak_IsRefusedBeforeItIsAllHeld()
    {
        using var profiler = new CsvProfiler(new DatasetReadOptions());
        var chunk = new byte[1024 * 1024];
        chunk.AsSpan().Fill((byte)'1');

        var error = Assert.ThrowsAsync<InvalidDatasetException>(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await profiler.AppendAsync(chunk);
            }
        });

        Assert.That(error!.Message, Does.Contain("single line without line breaks"));
    }

    [Test]
    public void Append_RecordLongerThanTheLimit_IsRefused()
    {
        using var profiler = new CsvProfiler(new DatasetReadOptions());
        var quoted = new byte[1024 * 1024];
        quoted.AsSpan().Fill((byte)'a');

        var error = Assert.ThrowsAsync<InvalidDatasetException>(async () =>
        {
            await profiler.AppendAsync("x,y\n1,\""u8.ToArray());
            for (var i = 0; i < 20; i++)
            {
                await profiler.AppendAsync(quoted);
            }
        });

        Assert.That(error!.Message, Does.Contain("The record that starts on line 2 is longer than 16 MB"));
    }

    [Test]
    public void Complete_Latin1Text_NamesTheLineAndColumn()
    {
        using var profiler = new CsvProfiler(new DatasetReadOptions());

        byte[] csv = [.. "x,city,y\n1,Oslo,2\n3,Troms"u8, 0xF8, .. ",4\n"u8];

        var error = Assert.ThrowsAsync<InvalidDatasetException>(async () =>
        {
            await profiler.AppendAsync(csv);
            await profiler.CompleteAsync();
        });

        Assert.That(error!.Message, Does.StartWith("Line 3, column 'city': the text is not UTF-8"));
    }

    [Test]
    public async Task Complete_QuotedFieldsAndByteOrderMark_ProfileLikeTheReader()
    {
        var csv = "\uFEFFx,\"city, town\",y\r\n1,\"Oslo\",2\r\n\r\n,\"a \"\"b\"\"\nc\",3\r\n";

        var profile = await ProfileAsync(csv, new DatasetReadOptions());

        Assert.That(profile.Rows, Is.EqualTo(2));
        Assert.That(profile.Columns.Select(c => (c.Name, c.Kind, c.Missing, c.Levels)), Is.EqualTo(new[]
        {
            ("x", ColumnKind.Numeric, 1L, (int?)null),
            ("city, town", ColumnKind.Categorical, 0L, 2),
            ("y", ColumnKind.Numeric, 0L, null),
        }));
    }

    [Test]
    public void Dispose_BeforeComplete_EndsTheReadingTask()
    {
        var profiler = new CsvProfiler(new DatasetReadOptions());

        Assert.DoesNotThrowAsync(async () => await profiler.AppendAsync("x,y\n1,2\n"u8.ToArray()));
        profiler.Dispose();

        Assert.That(async () => await profiler.CompleteAsync(), Throws.InstanceOf<OperationCanceledException>());
    }

    private static async Task<DatasetProfile> ProfileAsync(string csv, DatasetReadOptions limits)
    {
        using var profiler = new CsvProfiler(limits);
        await profiler.AppendAsync(Encoding.UTF8.GetBytes(csv));
        return await profiler.CompleteAsync();
    }
}

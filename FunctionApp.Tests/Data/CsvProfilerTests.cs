using System.Text;
using ServerlessML.Data;

namespace ServerlessML.Tests.Data;

public sealed class CsvProfilerTests
{
    [Test]
    public void Complete_TextColumn_CountsItsDistinctValues()
    {
        var csv = "x,city,y\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{i},c{i % 7},{i}\n"));

        var profile = Profile(csv, new DatasetReadOptions());

        Assert.That(profile.Columns.Select(c => c.Levels), Is.EqualTo(new int?[] { null, 7, null }));
    }

    [Test]
    public void Complete_ManyDistinctValues_CountsOneMoreThanTheLimitAndStops()
    {
        var csv = "id,y\n" + string.Concat(Enumerable.Range(0, 500).Select(i => $"u{i},{i}\n"));

        var profile = Profile(csv, new DatasetReadOptions { MaxCategoricalLevels = 20 });

        Assert.That(profile.Columns[0].Levels, Is.EqualTo(21));
    }

    [Test]
    public void Append_TooManyColumns_IsRefusedAtTheHeader()
    {
        using var profiler = new CsvProfiler(new DatasetReadOptions { MaxColumns = 3 });

        Assert.Throws<LimitExceededException>(() => profiler.Append("a,b,c,y\n1,2,3,4\n"u8));
    }

    [Test]
    public void Append_LongLineWithoutABreak_IsRefusedBeforeItIsAllHeld()
    {
        using var profiler = new CsvProfiler(new DatasetReadOptions());
        var chunk = new byte[1024 * 1024];
        chunk.AsSpan().Fill((byte)'1');

        var error = Assert.Throws<InvalidDatasetException>(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                profiler.Append(chunk);
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

        var error = Assert.Throws<InvalidDatasetException>(() =>
        {
            profiler.Append("x,y\n1,\""u8);
            for (var i = 0; i < 20; i++)
            {
                profiler.Append(quoted);
            }
        });

        Assert.That(error!.Message, Does.Contain("The record that starts on line 2 is longer than 16 MB"));
    }

    [Test]
    public void Complete_Latin1Text_NamesTheLineAndColumn()
    {
        using var profiler = new CsvProfiler(new DatasetReadOptions());

        var error = Assert.Throws<InvalidDatasetException>(() =>
        {
            profiler.Append([.. "x,city,y\n1,Oslo,2\n3,Troms"u8, 0xF8, .. ",4\n"u8]);
            profiler.Complete();
        });

        Assert.That(error!.Message, Does.StartWith("Line 3, column 'city': the text is not UTF-8"));
    }

    private static DatasetProfile Profile(string csv, DatasetReadOptions limits)
    {
        using var profiler = new CsvProfiler(limits);
        profiler.Append(Encoding.UTF8.GetBytes(csv));
        return profiler.Complete();
    }
}

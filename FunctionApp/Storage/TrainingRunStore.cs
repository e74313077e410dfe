using System.Buffers;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using ServerlessML.Data;

namespace ServerlessML.Storage;

/// <summary>
/// A training run's working files (<c>training/{runId}/…</c>): the prepared splits and the candidate model.
/// Names are fixed per run, so an activity that runs again overwrites its own output with the same content.
/// Splits move in parallel pieces, a column (or 16 MB of one) each, since they are the biggest thing a run moves.
/// </summary>
/// <param name="valuesPerPiece">How many values of a column go in one piece (smaller in tests).</param>
public sealed class TrainingRunStore(BlobContainers containers, int valuesPerPiece = 4 * 1024 * 1024)
{
    private const int Transfers = 4;
    private const int HeaderGuess = 64 * 1024;

    public static BlobPath TrainSplit(string runId) => new(BlobContainers.Training, $"{runId}/train.table");

    public static BlobPath TestSplit(string runId) => new(BlobContainers.Training, $"{runId}/test.table");

    public static BlobPath Candidate(string runId) => new(BlobContainers.Training, $"{runId}/model.zip");

    public static BlobPath TestPredictions(string runId) => new(BlobContainers.Training, $"{runId}/test-predictions.json");

    /// <summary>Writes the dataset's <paramref name="rows"/> (all of them when null) as a table blob.</summary>
    public async Task WriteTableAsync(BlobPath path, Dataset dataset, int[]? rows, CancellationToken cancellationToken)
    {
        var blob = (await containers.GetAsync(path.Container, cancellationToken)).GetBlockBlobClient(path.Name);
        var header = TableSerializer.HeaderBytes(dataset, rows);
        var pieces = Pieces(dataset.Table.Columns.Count, rows?.Length ?? dataset.RowCount);
        await blob.StageBlockAsync(BlockId(0), new MemoryStream(header), cancellationToken: cancellationToken);
        await Parallel.ForEachAsync(pieces, Options(cancellationToken), async (piece, token) =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(piece.Values * sizeof(int));
            try
            {
                TableSerializer.Gather(dataset.Table.Columns[piece.Column], rows, piece.First, piece.Values, buffer);
                await blob.StageBlockAsync(BlockId(piece.Index + 1), new MemoryStream(buffer, 0, piece.Values * sizeof(int)), cancellationToken: token);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        await blob.CommitBlockListAsync(Enumerable.Range(0, pieces.Count + 1).Select(BlockId), cancellationToken: cancellationToken);
    }

    public async Task<Dataset> ReadTableAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        // Most headers fit the first guess; one with many category levels takes a second, exact read.
        var start = await DownloadAsync(blob, 0, HeaderGuess, cancellationToken);
        var layout = TableSerializer.ReadLayout(start.Span);
        if (layout is null)
        {
            start = await DownloadAsync(blob, 0, TableSerializer.HeaderEnd(start.Span), cancellationToken);
            layout = TableSerializer.ReadLayout(start.Span) ?? throw new InvalidDataException($"{path} is not a complete table.");
        }

        var columns = layout.Allocate();
        await Parallel.ForEachAsync(Pieces(columns.Length, layout.Rows), Options(cancellationToken), async (piece, token) =>
        {
            var offset = layout.ColumnOffset(piece.Column) + ((long)piece.First * sizeof(int));
            var response = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset, piece.Values * sizeof(int)) }, token);
            await using var stream = response.Value.Content;
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                var at = piece.First * sizeof(int);
                int read;
                while ((read = await stream.ReadAsync(buffer, token)) > 0)
                {
                    buffer.AsSpan(0, read).CopyTo(TableSerializer.ColumnBytes(columns[piece.Column])[at..]);
                    at += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        return new Dataset(new Table(columns), layout.Label);
    }

    public async Task WriteBytesAsync(BlobPath path, BinaryData content, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        await blob.UploadAsync(content, overwrite: true, cancellationToken);
    }

    public async Task<BinaryData> ReadBytesAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        return (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
    }

    /// <summary>The file's bytes, or null when the run wrote none there.</summary>
    public async Task<BinaryData?> ReadBytesOrNullAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var blob = await containers.GetBlobAsync(path, cancellationToken);
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (Azure.RequestFailedException e) when (e.ErrorCode == Azure.Storage.Blobs.Models.BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    }

    /// <summary>Removes a run's working files; whether its staged data goes too is for the run's cleanup step to judge.</summary>
    public async Task DeleteAsync(string runId, CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Training, cancellationToken);
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{runId}/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Every run that has working files, with when it last wrote one.</summary>
    public async Task<IReadOnlyList<(string RunId, DateTimeOffset Written)>> ListRunsAsync(CancellationToken cancellationToken)
    {
        var container = await containers.GetAsync(BlobContainers.Training, cancellationToken);
        var runs = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            var slash = item.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                var run = item.Name[..slash];
                var written = item.Properties.LastModified ?? DateTimeOffset.MinValue;
                runs[run] = runs.TryGetValue(run, out var seen) && seen > written ? seen : written;
            }
        }

        return runs.Select(r => (r.Key, r.Value)).ToList();
    }

    private static async Task<ReadOnlyMemory<byte>> DownloadAsync(Azure.Storage.Blobs.BlobClient blob, long offset, int length, CancellationToken cancellationToken) =>
        (await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset, length) }, cancellationToken)).Value.Content.ToMemory();

    // Every column cut into pieces of at most valuesPerPiece values, numbered in blob order.
    private List<Piece> Pieces(int columns, int rows)
    {
        var pieces = new List<Piece>();
        for (var column = 0; column < columns; column++)
        {
            for (var first = 0; first < rows; first += valuesPerPiece)
            {
                pieces.Add(new Piece(pieces.Count, column, first, Math.Min(valuesPerPiece, rows - first)));
            }
        }

        return pieces;
    }

    private static ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Transfers, CancellationToken = cancellationToken };

    // Block ids must all have the same length within a blob.
    private static string BlockId(int index) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"piece-{index:D8}"));

    private sealed record Piece(int Index, int Column, int First, int Values);
}

using Microsoft.ML;
using Microsoft.ML.Data;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// Scores rows through a model's row-to-row mapper, built once and reused: what ML.NET's PredictionEngine does,
/// for a schema known only at run time; <see cref="ModelScorer"/>'s engine for a model that is not linear. Not
/// thread-safe: one caller at a time (the scorer pools them).
/// </summary>
internal sealed class RowPredictor : IDisposable
{
    private readonly InputRow _input;
    private readonly DataViewRow _output;
    private readonly ValueGetter<float> _score;

    public RowPredictor(ITransformer model, ModelSchema schema)
    {
        _input = new InputRow(schema);
        var mapper = model.GetRowToRowMapper(_input.Schema);
        var score = mapper.OutputSchema[ModelColumns.Score];
        _output = mapper.GetRow(_input, [score]);
        _score = _output.GetGetter<float>(score);
    }

    /// <summary>Writes one prediction per row of <paramref name="batch"/> into <paramref name="predictions"/>.</summary>
    public void Predict(FeatureBatch batch, Span<float> predictions)
    {
        for (var row = 0; row < batch.Rows; row++)
        {
            _input.MoveTo(batch, row);
            var value = 0f;
            _score(ref value);
            predictions[row] = value;
        }
    }

    public void Dispose() => _output.Dispose();

    /// <summary>A row whose values are read from a <see cref="FeatureBatch"/>, moved along by <see cref="MoveTo"/>.</summary>
    internal sealed class InputRow : DataViewRow
    {
        // For each schema column, its index among the numeric or the text values of a batch row.
        private readonly int[] _slots;
        private FeatureBatch? _batch;
        private int _row;
        private long _position = -1;

        public InputRow(ModelSchema schema)
        {
            Schema = ModelTrainer.InputSchema(schema.Features);
            var numeric = 0;
            var text = 0;
            _slots = schema.Features.Select(f => f.Kind == ColumnKind.Numeric ? numeric++ : text++).ToArray();
        }

        public override DataViewSchema Schema { get; }

        // Transforms cache per position; a new position for every row keeps them from serving a stale value.
        public override long Position => _position;

        public override long Batch => 0;

        public void MoveTo(FeatureBatch batch, int row)
        {
            _batch = batch;
            _row = row;
            _position++;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var slot = _slots[column.Index];
            Delegate getter = column.Type is TextDataViewType
                ? (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = _batch!.Texts[(_row * _batch.TextCount) + slot])
                : (ValueGetter<float>)((ref float value) => value = _batch!.Numbers[(_row * _batch.NumericCount) + slot]);
            return (ValueGetter<TValue>)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}

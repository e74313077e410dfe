using System.Text.Json.Serialization;

namespace ServerlessML.Data;

/// <summary>What a dataset holds, learned in one streaming pass without keeping its values.</summary>
public sealed record DatasetProfile(long Rows, IReadOnlyList<ColumnProfile> Columns);

/// <summary>A column's name, whether every value in it is a number, how many values are missing, and for a text column
/// how many distinct values it has (counted up to one more than the limit on categories; absent in profiles written
/// before it was counted).</summary>
public sealed record ColumnProfile(
    string Name,
    ColumnKind Kind,
    long Missing,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Levels = null);

namespace ServerlessML.Data;

/// <summary>What a dataset holds, learned in one streaming pass without keeping its values.</summary>
public sealed record DatasetProfile(long Rows, IReadOnlyList<ColumnProfile> Columns);

/// <summary>A column's name, whether every value in it is a number, and how many values are missing.</summary>
public sealed record ColumnProfile(string Name, ColumnKind Kind, long Missing);

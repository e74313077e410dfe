namespace ServerlessML.LocalHost.Durable;

/// <summary>
/// The status endpoint's query options, with the Functions host's defaults: input shown, history and failure-as-500
/// off. A value that is not <c>true</c> or <c>false</c> counts as not given, as it does there.
/// </summary>
public sealed record DurableStatusQuery(bool ShowHistory, bool ShowHistoryOutput, bool ShowInput, bool ReturnInternalServerErrorOnFailure)
{
    public static DurableStatusQuery From(IQueryCollection query) => new(
        Flag(query, "showHistory") ?? false,
        Flag(query, "showHistoryOutput") ?? false,
        Flag(query, "showInput") ?? true,
        Flag(query, "returnInternalServerErrorOnFailure") ?? false);

    private static bool? Flag(IQueryCollection query, string name) =>
        bool.TryParse(query[name], out var value) ? value : null;
}

using System.Text.Json.Serialization;

namespace ServerlessML.Health;

/// <summary>The answer of <c>GET /api/health</c>: overall status, each dependency's check, and what serving holds in memory.</summary>
public sealed record HealthReport(string Status, IReadOnlyDictionary<string, DependencyCheck> Checks, ModelCacheState ModelCache)
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";

    [JsonIgnore]
    public bool IsHealthy => Status == Healthy;
}

/// <summary>One dependency: reached or not, how long the check took, and in a few words why not (never a message that
/// could carry an account name, a URL or a key).</summary>
public sealed record DependencyCheck(string Status, long DurationMs, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

/// <summary>The model versions loaded for serving, most recently used first.</summary>
public sealed record ModelCacheState(int Count, IReadOnlyList<CachedModel> Models);

public sealed record CachedModel(string Model, int Version);

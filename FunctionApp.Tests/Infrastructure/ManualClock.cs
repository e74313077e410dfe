namespace ServerlessML.Tests.Infrastructure;

/// <summary>The system clock, moved forward by hand: for what happens after minutes without waiting minutes.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ahead;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ahead, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _ahead));

    public override long GetTimestamp() =>
        System.GetTimestamp() + (long)(TimeSpan.FromTicks(Interlocked.Read(ref _ahead)).TotalSeconds * System.TimestampFrequency);
}

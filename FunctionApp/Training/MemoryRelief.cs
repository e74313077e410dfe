using System.Runtime;

namespace ServerlessML.Training;

/// <summary>
/// Each step of a run holds the whole dataset in memory, and the large-object heap keeps one step's garbage until a
/// full collection; left alone, the next step allocates its own copy on top and a run needs twice its memory. So a
/// step that is about to load a dataset first collects (compacting the large-object heap and giving pages back),
/// which costs milliseconds next to the seconds the step takes.
/// </summary>
internal static class MemoryRelief
{
    public static void BeforeLargeWork()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}

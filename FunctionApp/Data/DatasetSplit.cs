namespace ServerlessML.Data;

/// <summary>The seeded, reproducible train/test split of a dataset.</summary>
public static class DatasetSplit
{
    public const int MinimumTrainRows = 2;

    // R² needs at least two test labels to be defined.
    public const int MinimumTestRows = 2;

    /// <summary>How many rows go to testing, or an error a user can act on when the dataset is too small.</summary>
    public static int TestRows(int rows, double testFraction)
    {
        if (rows - TestRowsOf(rows, testFraction) >= MinimumTrainRows)
        {
            return TestRowsOf(rows, testFraction);
        }

        var needed = MinimumTrainRows + MinimumTestRows;
        while (needed - TestRowsOf(needed, testFraction) < MinimumTrainRows)
        {
            needed++;
        }

        throw new InvalidDatasetException(
            $"The dataset has {rows} row{(rows == 1 ? "" : "s")}; a train/test split with testFraction {testFraction} needs at least {needed} " +
            $"(at least {MinimumTrainRows} to train on and {MinimumTestRows} to test with).");
    }

    private static int TestRowsOf(int rows, double testFraction) =>
        Math.Max(MinimumTestRows, (int)Math.Round(rows * testFraction, MidpointRounding.AwayFromZero));

    public static (Dataset Train, Dataset Test) Split(Dataset dataset, double testFraction, int seed)
    {
        var (train, test) = Rows(dataset.RowCount, testFraction, seed);
        return (new Dataset(dataset.Table.Take(train), dataset.Label), new Dataset(dataset.Table.Take(test), dataset.Label));
    }

    /// <summary>Which rows go to training and which to testing, each in their original order (so a split reads like
    /// the input), without copying any data.</summary>
    public static (int[] Train, int[] Test) Rows(int rows, double testFraction, int seed)
    {
        var testRows = TestRows(rows, testFraction);
        var order = Shuffle(rows, seed);

        // The first testRows of the shuffle are the test rows. One pass over the rows lists each side in ascending
        // order, as sorting them would, in linear time: every step that takes a split from memory runs this again.
        var isTest = new bool[rows];
        for (var i = 0; i < testRows; i++)
        {
            isTest[order[i]] = true;
        }

        var train = new int[rows - testRows];
        var test = new int[testRows];
        for (int row = 0, nextTrain = 0, nextTest = 0; row < rows; row++)
        {
            if (isTest[row])
            {
                test[nextTest++] = row;
            }
            else
            {
                train[nextTrain++] = row;
            }
        }

        return (train, test);
    }

    // Fisher–Yates with SplitMix64: a generator defined here rather than System.Random, so the split a seed
    // gives can never change with the runtime.
    internal static int[] Shuffle(int count, int seed)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var state = (ulong)(uint)seed;
        for (var i = count - 1; i > 0; i--)
        {
            var j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

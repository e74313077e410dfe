using ServerlessML.Bench;

return args.FirstOrDefault() switch
{
    "generate" => DataGenerator.Run(args[1..]),
    "train" => await TrainingPath.RunAsync(args[1..]),
    "compare-training" => await Compare.TrainingAsync(args[1..]),
    "app-train" => await Cases.AppTrainingAsync(args[1..]),
    "report" => Report.Write(args[1..]),
    "overhead" => await Cases.OverheadAsync(args[1..]),
    "recovery" => await Cases.RecoveryAsync(args[1..]),
    "csv-parsers" => await CsvParsers.CompareAsync(args[1..]),
    "hand-written" => await HandWritten.RunAsync(args[1..]),
    "serve" => await Cases.ServingAsync(args[1..]),
    "cold-start" => await Cases.ColdStartAsync(args[1..]),
    "quality" => await Quality.RunAsync(args[1..]),
    "fan-out" => await FanOut.RunAsync(args[1..]),
    "report-quality" => QualityReport.Splice(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: ServerlessML.Bench generate --rows N --features F --out file.csv [--seed S] [--categorical]
               ServerlessML.Bench train --csv file.csv [--label y] [--out result.json]
               ServerlessML.Bench compare-training --csv file.csv [--runs N] [--out result.json]
               ServerlessML.Bench report --results dir --out BENCHMARKS.md [--quick]
               ServerlessML.Bench app-train --csv file.csv [--runs N] [--out result.json]
               ServerlessML.Bench overhead --csv small.csv [--runs N] [--out result.json]
               ServerlessML.Bench recovery --csv medium.csv [--runs N] [--out result.json]
               ServerlessML.Bench csv-parsers --csv file.csv [--runs N] [--out result.json]
               ServerlessML.Bench hand-written --csv file.csv [--runs N] [--out result.json]
               ServerlessML.Bench serve [--duration 10s] [--out result.json]
               ServerlessML.Bench cold-start [--runs N] [--out result.json]
               ServerlessML.Bench quality --data dir-with-datasets.json [--out result.json]
               ServerlessML.Bench fan-out --csv file.csv [--runs N] [--configs 1,2,1:1,2:1] [--query sweep=8&folds=5] [--out result.json]
               ServerlessML.Bench report-quality --results dir --datasets datasets.json --command "bench/run.sh --only quality" --out BENCHMARKS.md
        """);
    return 2;
}

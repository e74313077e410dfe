using ServerlessML.Bench;

return args.FirstOrDefault() switch
{
    "generate" => DataGenerator.Run(args[1..]),
    "train" => await TrainingPath.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: ServerlessML.Bench generate --rows N --features F --out file.csv [--seed S] [--categorical]
               ServerlessML.Bench train --csv file.csv [--label y]
        """);
    return 2;
}

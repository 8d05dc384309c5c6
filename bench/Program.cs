using BenchmarkDotNet.Running;

namespace CallTracking.Bench;

internal static class Program
{
    // `dotnet run -c Release --project bench -- --filter '*'` runs every suite;
    // BenchmarkDotNet's own switches (--filter, --job short, --memory) apply.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

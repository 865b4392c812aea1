using System.Text.Json.Nodes;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary>
/// The runtime settings that the built zonec (and the native executable published from the same project) runs with,
/// chosen by profiling the size-M benchmark (docs/performance.md, "Profile of M"). They are checked in the runtime
/// configuration the build writes, which is what the native publish embeds too.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static JsonNode? Property(string name) =>
        JsonNode.Parse(File.ReadAllText(BuiltCli.RuntimeConfig))!["runtimeOptions"]?["configProperties"]?[name];

    [Fact]
    public void Concurrent_gc_is_not_turned_off()
    {
        // Off, the workstation GC lets the first generation's budget grow to 200 MB: at size M nearly every allocation
        // landed on fresh memory (page faults and clearing were a quarter of the CPU time; peak 210-230 MiB, not 140-160).
        var concurrent = Property("System.GC.Concurrent");

        Assert.True(concurrent is null || concurrent.GetValue<bool>(),
            $"{BuiltCli.RuntimeConfig} sets System.GC.Concurrent to false");
    }
}

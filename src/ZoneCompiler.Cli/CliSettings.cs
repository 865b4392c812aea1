using ZoneCompiler.Emitters.Matrix;

namespace ZoneCompiler.Cli;

/// <summary>
/// What a run takes from outside its arguments: whether an internal error prints its stack trace (the
/// <c>ZONEC_STACK_TRACE</c> environment variable, read once by <see cref="Program.Main"/>), the default language and the flow matrix's
/// size limits (tests lower them instead of generating thousands of zones).
/// </summary>
/// <param name="LanguageVariable">The value of <c>ZONEC_LANG</c> (the default of <c>--lang</c>), read once by <see cref="Program.Main"/>.</param>
/// <param name="CompactHeap">
/// Whether phases end with a compacting collection when the heap is large (<see cref="HeapCompaction"/>). Set by
/// <see cref="Program.Main"/> only: there the heap is the run's alone; a host that runs zonec in its own process (the
/// tests, thousands of runs side by side) has a heap that says nothing about one run.
/// </param>
internal sealed record CliSettings(bool StackTraces, MatrixLimits Matrix, string? LanguageVariable = null, bool CompactHeap = false)
{
    public static CliSettings Default { get; } = new(false, MatrixLimits.Default);
}

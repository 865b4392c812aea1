using ZoneCompiler.Emitters.Matrix;

namespace ZoneCompiler.Cli;

/// <summary>
/// What a run takes from outside its arguments: whether an internal error prints its stack trace (the
/// <c>ZONEC_STACK_TRACE</c> environment variable, read once by <see cref="Program.Main"/>) and the flow matrix's
/// size limits (tests lower them instead of generating thousands of zones).
/// </summary>
internal sealed record CliSettings(bool StackTraces, MatrixLimits Matrix)
{
    public static CliSettings Default { get; } = new(false, MatrixLimits.Default);
}

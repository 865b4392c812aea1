using ZoneCompiler.Emitters.Matrix;

namespace ZoneCompiler.Cli;

/// <summary>
/// What a run takes from outside its arguments: whether an internal error prints its stack trace (the
/// <c>ZONEC_STACK_TRACE</c> environment variable, read once by <see cref="Program.Main"/>), the default language and the flow matrix's
/// size limits (tests lower them instead of generating thousands of zones).
/// </summary>
/// <param name="LanguageVariable">The value of <c>ZONEC_LANG</c> (the default of <c>--lang</c>), read once by <see cref="Program.Main"/>.</param>
internal sealed record CliSettings(bool StackTraces, MatrixLimits Matrix, string? LanguageVariable = null)
{
    public static CliSettings Default { get; } = new(false, MatrixLimits.Default);
}

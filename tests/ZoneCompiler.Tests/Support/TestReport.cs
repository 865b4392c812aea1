using System.Text;

namespace ZoneCompiler.Tests.Support;

/// <summary>Human-readable test reports for CI: test output, diagnostic messages and $ZONEC_REPORT_DIR/&lt;name&gt;.txt.</summary>
public static class TestReport
{
    /// <summary>Writes the lines to the test output and as diagnostic messages, and appends them to the report file.</summary>
    public static void Write(string reportName, IReadOnlyList<string> lines)
    {
        var context = TestContext.Current;
        foreach (var line in lines)
        {
            context.TestOutputHelper?.WriteLine(line);
            context.SendDiagnosticMessage(line);
        }

        string? dir = Environment.GetEnvironmentVariable("ZONEC_REPORT_DIR");
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
            var text = new StringBuilder();
            foreach (var line in lines)
            {
                text.Append(line).Append('\n');
            }

            File.AppendAllText(Path.Combine(dir, reportName + ".txt"), text.ToString(), new UTF8Encoding(false));
        }
    }
}

using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Diff;

/// <summary>
/// <c>zonec diff --git REV1..REV2</c> on a temporary git repository made in the test, with the built zonec run as a
/// process in that repository (git revisions are those of the current folder's repository).
/// </summary>
public sealed class DiffGitTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zonec-diff-git-" + Guid.NewGuid().ToString("N"));

    public DiffGitTests()
    {
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static void Git(string folder, params string[] args)
    {
        var run = BuiltCli.Process(["git", "-c", "user.name=zonec test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", .. args], folder);
        Assert.True(run.ExitCode == 0, $"git {string.Join(' ', args)}: {run.Output}");
    }

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
    }

    /// <summary>A repository whose first commit holds the base policy under <paramref name="under"/> and whose second widens https.</summary>
    private string Repository(string under = "")
    {
        if (ExternalTool.Find("git") is null)
        {
            Assert.Skip("git is not installed");
        }

        Git(_root, "init", "-q");
        Write(Path.Combine(under, "zones/base.yaml"), PolicyPair.BaseZones + "\n");
        Write(Path.Combine(under, "rules/base.yaml"), PolicyPair.BaseRules + "\n");
        Write("README", "not a policy\n");
        Git(_root, "add", "-A");
        Git(_root, "commit", "-q", "-m", "base");
        string rules = Path.Combine(_root, under, "rules/base.yaml");
        File.WriteAllText(rules, File.ReadAllText(rules).Replace("https: tcp/443", "https: tcp/443-444", StringComparison.Ordinal));
        Git(_root, "commit", "-q", "-a", "-m", "widen https");
        return Path.Combine(_root, under);
    }

    private static CliRun Diff(string folder, params string[] args) =>
        BuiltCli.Run(["diff", "--as-of", PolicyPair.AsOf, .. args], folder);

    [Fact]
    public void Two_revisions_are_compared_and_their_files_shown_as_REV_path()
    {
        string repo = Repository();
        var run = Diff(repo, "--git", "HEAD~1..HEAD");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("", run.Stderr);
        Assert.Contains("Comparing `HEAD~1` (old) with `HEAD` (new).", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("| fw1 | A | B | tcp/444 | F0 | `tcp 10.0.0.1:49152 -> 10.0.1.1:444` a0 → b0 |", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("| flows | F0 | changed | services | HEAD:rules/base.yaml(", run.Stdout, StringComparison.Ordinal);

        // --fail-on on revisions; the temporary checkouts are removed (the process's TMPDIR stays empty).
        string tmp = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(tmp);
        var env = new Dictionary<string, string?> { ["TMPDIR"] = tmp };
        Assert.Equal(1, BuiltCli.Run(["diff", "--as-of", PolicyPair.AsOf, "--git", "HEAD~1..HEAD", "--fail-on", "any-change"], repo, environment: env).ExitCode);
        Assert.Equal(0, BuiltCli.Run(["diff", "--as-of", PolicyPair.AsOf, "--git", "HEAD..HEAD", "--fail-on", "any-change"], repo, environment: env).ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
    }

    [Fact]
    public void A_policy_in_a_subfolder_is_read_from_that_subfolder_at_each_revision()
    {
        string policy = Repository("city/policy");
        var run = Diff(policy, "--git", "HEAD~1..HEAD", "--format", "json");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("\"newlyAllowed\": 1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"path\": \"HEAD:city/policy/rules/base.yaml\"", run.Stdout, StringComparison.Ordinal);

        // From the repository's top, naming the folders.
        var top = Diff(_root, "--git", "HEAD~1..HEAD", "--zones", "city/policy/zones", "--rules", "city/policy/rules", "--format", "json");
        Assert.True(top.ExitCode == 0, top.Output);
        Assert.Contains("\"newlyAllowed\": 1", top.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_policy_at_a_revision_exits_2_with_diagnostics_located_at_that_revision()
    {
        string repo = Repository();
        File.WriteAllText(Path.Combine(repo, "rules/base.yaml"), PolicyPair.BaseRules.Replace("services: [https]", "services: [htps]", StringComparison.Ordinal) + "\n");
        Git(repo, "commit", "-q", "-a", "-m", "typo");
        var run = Diff(repo, "--git", "HEAD~1..HEAD");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("HEAD:rules/base.yaml(7,16): error ZC1003: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("zonec: diff: the new policy (HEAD) is not valid", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Git_errors_are_diagnostics_not_traces()
    {
        string repo = Repository();

        var missing = Diff(repo, "--git", "no-such-rev..HEAD");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("zonec: error ZC5012: cannot read revision 'no-such-rev' from git: fatal: Needed a single revision\n", missing.Stderr);

        var noRules = Diff(repo, "--git", "HEAD~1..HEAD", "--rules", "nowhere");
        Assert.Equal(2, noRules.ExitCode);
        Assert.StartsWith("zonec: error ZC5012: cannot read zones and nowhere at revision 'HEAD~1' from git: ", noRules.Stderr, StringComparison.Ordinal);

        var outside = Diff(repo, "--git", "HEAD~1..HEAD", "--zones", "/etc");
        Assert.Equal(2, outside.ExitCode);
        Assert.StartsWith("zonec: error ZC5012: cannot read --zones '/etc' from git: the folder is not inside the repository ", outside.Stderr, StringComparison.Ordinal);

        string plain = Path.Combine(_root, "..", Path.GetFileName(_root) + "-plain");
        Directory.CreateDirectory(plain);
        try
        {
            var notRepo = BuiltCli.Run(["diff", "--git", "HEAD~1..HEAD"], plain, environment: new Dictionary<string, string?> { ["GIT_CEILING_DIRECTORIES"] = Path.GetDirectoryName(Path.GetFullPath(plain)) });
            Assert.Equal(2, notRepo.ExitCode);
            Assert.StartsWith("zonec: error ZC5012: cannot read the repository of the current folder from git: fatal: not a git repository", notRepo.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(plain, recursive: true);
        }

        foreach (var run in new[] { missing, noRules, outside })
        {
            Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        }
    }
}

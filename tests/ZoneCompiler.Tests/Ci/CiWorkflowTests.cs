using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Ci;

/// <summary>
/// The CI files users copy (<c>docs/ci/github-actions.yml</c>, <c>docs/ci/gitlab-ci.yml</c>) run as written: their
/// install step and every <c>zonec</c> step are taken out of the YAML and run with bash in a git repository laid out as
/// the workflows expect (the ZoneCompiler sources and the shipped example on <c>main</c>, pushed to a bare
/// <c>origin</c>; a change on the checked-out branch), with the variables the CI service would set. Only the steps
/// that talk to the CI service's API (posting the comment, uploading artifacts) are not run.
/// </summary>
public sealed class CiWorkflowTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void GitHub_workflow_installs_zonec_and_runs_its_zonec_steps_on_the_example()
    {
        var workflow = LoadYaml(Repo.Path("docs", "ci", "github-actions.yml"));
        var steps = (YamlSequenceNode)Map(Map(Map(workflow, "jobs"), "policy"), "steps");
        var runSteps = steps.Children.Cast<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey(new YamlScalarNode("run")))
            .Select(s => (Name: Scalar(s, "name"), Run: Scalar(s, "run")))
            .ToList();
        Assert.Contains(runSteps, s => s.Name == "install zonec");

        using var repo = CiRepository.Create();
        var environment = repo.Environment(new Dictionary<string, string>
        {
            ["RUNNER_TEMP"] = repo.RunnerTemp,
            ["GITHUB_BASE_REF"] = "main",
            ["GITHUB_EVENT_NAME"] = "pull_request",
        });

        var ran = new List<string>();
        foreach (var (name, run) in runSteps)
        {
            if (name != "install zonec" && !name.StartsWith("zonec", StringComparison.Ordinal))
            {
                continue; // the comment step needs GitHub's API
            }

            // GitHub runs `run:` with `bash --noprofile --norc -eo pipefail {0}`.
            var result = repo.Bash(run, environment, "-eo", "pipefail");
            Assert.True(result.ExitCode == 0, $"step '{name}' exited {result.ExitCode}:\n{result.Output}");
            ran.Add(name);
        }

        Assert.Equal(["install zonec", "zonec diff (pull requests)", "zonec check (SARIF for code scanning)", "zonec check", "zonec compile and verify"], ran);
        repo.AssertResults();
    }

    [Fact]
    public void GitLab_jobs_install_zonec_and_run_their_zonec_and_git_lines_on_the_example()
    {
        var pipeline = LoadYaml(Repo.Path("docs", "ci", "gitlab-ci.yml"));
        var beforeScript = Lines(Map(Map(pipeline, "default"), "before_script"));
        Assert.Contains(beforeScript, l => l.StartsWith("dotnet tool install --global ZoneCompiler.Cli", StringComparison.Ordinal));

        using var repo = CiRepository.Create();
        var environment = repo.Environment(new Dictionary<string, string>
        {
            ["CI_PIPELINE_SOURCE"] = "merge_request_event",
            ["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main",
        });

        // GitLab runs before_script and script of a job in one shell and stops at the first failing line.
        var install = repo.Bash(string.Join('\n', beforeScript), environment, "-e");
        Assert.True(install.ExitCode == 0, $"before_script exited {install.ExitCode}:\n{install.Output}");

        var ran = new List<string>();
        foreach (var job in new[] { "zonec-check", "zonec-build", "zonec-diff" })
        {
            var lines = Lines(Map(Map(pipeline, job), "script"))
                .Where(l => l.StartsWith("zonec ", StringComparison.Ordinal) || l.StartsWith("git ", StringComparison.Ordinal))
                .ToList();
            Assert.NotEmpty(lines);
            var result = repo.Bash(string.Join('\n', lines), environment, "-e");
            Assert.True(result.ExitCode == 0, $"job '{job}' exited {result.ExitCode}:\n{result.Output}");
            ran.Add(job);
        }

        Assert.Equal(3, ran.Count);
        repo.AssertResults();
    }

    private static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path, Encoding.UTF8);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode Map(YamlNode node, string key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value ?? "" : "";

    private static List<string> Lines(YamlNode sequence) =>
        [.. ((YamlSequenceNode)sequence).Children.Select(n => ((YamlScalarNode)n).Value ?? "")];

    /// <summary>
    /// A policy repository as the workflows see it: the ZoneCompiler sources, zones/ and rules/ committed on
    /// <c>main</c> and pushed to a bare <c>origin</c>; the checked-out branch <c>change</c> widens one service. HOME is
    /// a folder of its own, so <c>dotnet tool install --global</c> installs there (the package cache stays shared).
    /// </summary>
    private sealed class CiRepository : IDisposable
    {
        private CiRepository(string root)
        {
            Root = root;
            Work = Path.Combine(root, "work");
            Home = Path.Combine(root, "home");
            RunnerTemp = Path.Combine(root, "runner-temp");
        }

        public string Root { get; }

        public string Work { get; }

        public string Home { get; }

        public string RunnerTemp { get; }

        public static CiRepository Create()
        {
            if (ExternalTool.Find("git") is null || ExternalTool.Find("bash") is null)
            {
                Assert.Skip("git and bash are needed to run the CI files");
            }

            var repo = new CiRepository(Path.Combine(Path.GetTempPath(), "zonec-ci-" + Guid.NewGuid().ToString("N")));
            Directory.CreateDirectory(repo.Work);
            Directory.CreateDirectory(repo.Home);
            Directory.CreateDirectory(repo.RunnerTemp);
            foreach (string file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", ".gitignore" })
            {
                File.Copy(Repo.Path(file), Path.Combine(repo.Work, file));
            }

            CopyTree(Repo.Path("src"), Path.Combine(repo.Work, "src"));
            CopyTree(Repo.Path("zones"), Path.Combine(repo.Work, "zones"));
            CopyTree(Repo.Path("rules"), Path.Combine(repo.Work, "rules"));

            var env = repo.Environment([]);
            repo.Git(env, "init", "--quiet", "--initial-branch=main");
            repo.Git(env, "add", "-A");
            repo.Git(env, "commit", "--quiet", "-m", "base");
            repo.Git(env, "init", "--quiet", "--bare", Path.Combine(repo.Root, "origin.git"));
            repo.Git(env, "remote", "add", "origin", Path.Combine(repo.Root, "origin.git"));
            repo.Git(env, "push", "--quiet", "origin", "main");
            repo.Git(env, "fetch", "--quiet", "origin");
            repo.Git(env, "checkout", "--quiet", "-b", "change");

            string services = Path.Combine(repo.Work, "rules", "services.yaml");
            string text = File.ReadAllText(services);
            Assert.Contains("rpc-dynamic: tcp/50000-50100 ", text, StringComparison.Ordinal);
            File.WriteAllText(services, text.Replace("rpc-dynamic: tcp/50000-50100 ", "rpc-dynamic: tcp/50000-50200 ", StringComparison.Ordinal));
            repo.Git(env, "commit", "--quiet", "-am", "widen rpc-dynamic");
            return repo;
        }

        public Dictionary<string, string> Environment(Dictionary<string, string> extra)
        {
            string path = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
            string host = Path.GetDirectoryName(BuiltCli.Host)!;
            var env = new Dictionary<string, string>
            {
                ["HOME"] = Home,
                ["PATH"] = $"{Path.Combine(Home, ".dotnet", "tools")}:{host}:{path}",
                ["NUGET_PACKAGES"] = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
                ["GIT_AUTHOR_NAME"] = "ci",
                ["GIT_AUTHOR_EMAIL"] = "ci@example.invalid",
                ["GIT_COMMITTER_NAME"] = "ci",
                ["GIT_COMMITTER_EMAIL"] = "ci@example.invalid",
                ["GIT_CONFIG_NOSYSTEM"] = "1",
            };
            foreach (var (name, value) in extra)
            {
                env[name] = value;
            }

            return env;
        }

        public CliRun Bash(string script, IReadOnlyDictionary<string, string> environment, params string[] options) =>
            Run(["bash", "--noprofile", "--norc", .. options, "-c", script], environment);

        public void AssertResults()
        {
            // The SARIF report of a clean example: SARIF 2.1.0 with a run and no error result that is not suppressed (the
            // example's waived error, SEP-MN-010 under EXC-2025-07, is an error with an accepted suppression, which code
            // scanning shows as dismissed), and at least one result (the example has warnings).
            using var sarif = JsonDocument.Parse(File.ReadAllText(Path.Combine(Work, "zonec.sarif")));
            Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
            var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results");
            Assert.NotEmpty(results.EnumerateArray());
            Assert.DoesNotContain(results.EnumerateArray(), r => r.TryGetProperty("level", out var level) && level.GetString() == "error"
                && !(r.TryGetProperty("suppressions", out var suppressions) && suppressions.GetArrayLength() > 0));

            // compile wrote the three firewalls and the matrix; verify passed (its step exited 0).
            string[] written = [.. Directory.GetFiles(Path.Combine(Work, "out")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
            Assert.Contains("matrix.md", written);
            Assert.Equal(3, written.Count(f => f.StartsWith("fw-", StringComparison.Ordinal)));

            // The pull-request comment names the widened service's new traffic.
            string comment = File.ReadAllText(Path.Combine(Work, "zonec-diff.md"));
            Assert.Contains("50200", comment, StringComparison.Ordinal);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private void Git(IReadOnlyDictionary<string, string> environment, params string[] args)
        {
            var result = Run(["git", .. args], environment);
            Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result.Output}");
        }

        private CliRun Run(IReadOnlyList<string> commandLine, IReadOnlyDictionary<string, string> environment)
        {
            // The outer `dotnet test` sets MSBuild and test-host variables that must not leak into the workflow's dotnet.
            var variables = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_", StringComparison.Ordinal)
                    || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                    || k.StartsWith("ZONEC_", StringComparison.Ordinal))
                .ToDictionary(k => k, string? (_) => null, StringComparer.Ordinal);
            foreach (var (name, value) in environment)
            {
                variables[name] = value;
            }

            return BuiltCli.Process(commandLine, Work, variables, StepTimeout);
        }

        private static void CopyTree(string from, string to)
        {
            foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(from, file);
                string[] parts = relative.Split(Path.DirectorySeparatorChar);
                if (parts.Contains("bin") || parts.Contains("obj"))
                {
                    continue;
                }

                string target = Path.Combine(to, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }
}

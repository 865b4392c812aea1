using ZoneCompiler.Emitters;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;
using ZoneCompiler.Tests.Vendors;

namespace ZoneCompiler.Tests.Stability;

/// <summary>
/// Reviewers read generated configurations as diffs: adding one flow to the example must change only lines that
/// concern that flow (and objects only it uses) in every vendor's output. No renumbering cascade, no reordering.
/// </summary>
public sealed class StabilityTests
{
    /// <summary>A new intra-LGWAN flow between zones that already exist, with a new service.</summary>
    public const string NewFlowId = "F99-new";

    public const string NewFlow = """
        flows:
          - id: F99-new
            from: LG-MGMT
            to: LG-PRINT
            services: [tcp/631]
            purpose: 印刷キュー監視 (stability test)
            owner: 情報政策課
        """;

    public static TheoryData<string> Vendors => [.. EmitterRegistry.CreateDefault().Emitters.Select(e => e.Vendor)];

    /// <summary>
    /// The removed and added lines of each output file when the new flow is added, and the lines of the new output
    /// that sit in a block (indented under a header line) whose header names the new flow, such as the entries of
    /// an ACL named after the flow.
    /// </summary>
    public static Dictionary<string, (List<string> Removed, List<string> Added, HashSet<string> InFlowBlock)> DiffAfterAddingFlow(string vendor)
    {
        string root = Path.Combine(Path.GetTempPath(), "zonec-stab-" + Guid.NewGuid().ToString("N"));
        try
        {
            CopyDirectory(Repo.Path("zones"), Path.Combine(root, "zones"));
            CopyDirectory(Repo.Path("rules"), Path.Combine(root, "rules"));
            var source = new PolicySource(Path.Combine(root, "zones"), Path.Combine(root, "rules"));
            var before = VendorGoldenTests.Render(source, vendor);
            File.WriteAllText(Path.Combine(root, "rules", "zz-new-flow.yaml"), NewFlow);
            var after = VendorGoldenTests.Render(source, vendor);
            var result = new Dictionary<string, (List<string>, List<string>, HashSet<string>)>(StringComparer.Ordinal);
            foreach (var file in after)
            {
                var old = before.FirstOrDefault(f => f.RelativePath == file.RelativePath)?.Content ?? "";
                var (removed, added) = LineDiff.Diff(old.Split('\n'), file.Content.Split('\n'));
                result[file.RelativePath] = (removed, added, FlowBlockLines(file.Content.Split('\n')));
            }

            return result;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Indented lines whose nearest header line (not indented) names the new flow.</summary>
    private static HashSet<string> FlowBlockLines(string[] lines)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        bool inFlowBlock = false;
        foreach (var line in lines)
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                inFlowBlock = NamesFlow(line);
            }
            else if (inFlowBlock && line.Length > 0)
            {
                result.Add(line);
            }
        }

        return result;
    }

    private static bool NamesFlow(string line) =>
        line.Contains(NewFlowId, StringComparison.Ordinal) || line.Contains("F99_new", StringComparison.Ordinal);

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Adding_a_flow_changes_only_its_own_lines(string vendor)
    {
        var diff = DiffAfterAddingFlow(vendor);
        var changed = diff.Where(d => d.Value.Removed.Count + d.Value.Added.Count > 0).ToList();
        Assert.True(changed.Count > 0, $"{vendor}: adding a flow changed nothing");
        foreach (var (file, (removed, added, inFlowBlock)) in changed)
        {
            // Every added line concerns the new flow: it names the flow, or an object whose name appears on a
            // line that names the flow (its own sets, chains, services), or it is a container line of the
            // vendor that lists members (allowed to change only where such lines exist, see VendorRules).
            var flowLines = added.Where(NamesFlow).ToList();
            var tokens = flowLines.SelectMany(Tokens).Where(t => t.Length >= 6).ToHashSet(StringComparer.Ordinal);
            // Lines inside a block headed by a flow line (an ACL's entries under an ACL named after the flow) belong to
            // the flow too; they explain themselves but lend no tokens, so keywords they share do not excuse others.
            var unexplained = added.Where(l => !flowLines.Contains(l) && !inFlowBlock.Contains(l) && !Tokens(l).Any(tokens.Contains)
                && !VendorRules.IsListLine(vendor, l)).ToList();
            Assert.True(unexplained.Count == 0, $"{vendor} {file}: added lines that do not concern {NewFlowId}:\n{string.Join("\n", unexplained)}");
            var removedUnexplained = removed.Where(l => !VendorRules.IsListLine(vendor, l)).ToList();
            Assert.True(removedUnexplained.Count == 0, $"{vendor} {file}: removed lines:\n{string.Join("\n", removedUnexplained)}");
        }
    }

    private static IEnumerable<string> Tokens(string line) =>
        line.Split([' ', '"', '@', '{', '}', ',', ';', '[', ']', '(', ')', '\t'], StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Per-vendor lines that list members and so legitimately change when a member is added.</summary>
public static class VendorRules
{
    public static bool IsListLine(string vendor, string line) => vendor switch
    {
        // RTX binds the filter list to the interface on one line.
        "yamaha-rtx" => line.Contains(" secure filter ", StringComparison.Ordinal),
        // FortiOS CLI is block-structured (edit ... next): body lines carry no identity of their own, so only name and
        // comment lines are judged per line; FortigateTests.Adding_a_flow_adds_only_its_own_blocks checks whole blocks.
        "fortigate" => !line.TrimStart().StartsWith("set name ", StringComparison.Ordinal) && !line.TrimStart().StartsWith("set comment", StringComparison.Ordinal),
        _ => false,
    };
}

/// <summary>A minimal longest-common-subsequence line diff.</summary>
public static class LineDiff
{
    public static (List<string> Removed, List<string> Added) Diff(string[] a, string[] b)
    {
        int n = a.Length;
        int m = b.Length;
        var lcs = new int[n + 1, m + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var removed = new List<string>();
        var added = new List<string>();
        int x = 0;
        int y = 0;
        while (x < n && y < m)
        {
            if (a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                removed.Add(a[x++]);
            }
            else
            {
                added.Add(b[y++]);
            }
        }

        removed.AddRange(a.Skip(x));
        added.AddRange(b.Skip(y));
        return (removed, added);
    }
}

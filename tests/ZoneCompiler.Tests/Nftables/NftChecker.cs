using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Nftables;

/// <summary>
/// Validates nftables rulesets with the real <c>nft -c -f</c> (parse, resolve and a kernel dry run) inside a
/// throw-away network namespace (<c>unshare -rn</c>), so nothing on the host is read or changed.
/// </summary>
public static class NftChecker
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Why nft rulesets cannot be checked here, or null when they can.</summary>
    public static async Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "nft validation needs Linux";
        }

        string? nft = ExternalTool.Find("nft");
        if (nft is null)
        {
            return "nft is not installed (apt-get install nftables)";
        }

        string? unshare = ExternalTool.Find("unshare");
        if (unshare is null)
        {
            return "unshare (util-linux) is not installed";
        }

        var probe = await ExternalTool.RunAsync(unshare, ["-rn", nft, "list", "ruleset"], null, Timeout, cancellationToken)
            .ConfigureAwait(false);
        return probe.Succeeded ? null : "cannot run nft in a private network namespace here: " + probe;
    }

    /// <summary>Runs <c>unshare -rn nft -c -f FILE</c>; exit code 0 means the kernel would accept the ruleset.</summary>
    public static async Task<ToolResult> CheckFileAsync(string path, CancellationToken cancellationToken)
    {
        string nft = ExternalTool.Find("nft") ?? throw new InvalidOperationException("nft is not installed");
        string unshare = ExternalTool.Find("unshare") ?? throw new InvalidOperationException("unshare is not installed");
        return await ExternalTool.RunAsync(unshare, ["-rn", nft, "-c", "-f", path], null, Timeout, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Writes the ruleset text to a temporary file and checks it.</summary>
    public static async Task<ToolResult> CheckTextAsync(string fileName, string content, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("zct-nft-");
        try
        {
            string path = Path.Combine(dir.FullName, fileName);
            await File.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
            return await CheckFileAsync(path, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

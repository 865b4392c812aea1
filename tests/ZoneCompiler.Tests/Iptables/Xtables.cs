using System.Globalization;
using System.Runtime.InteropServices;
using ZoneCompiler.Net;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Iptables;

/// <summary>The two implementations of the iptables tools (both ship in Debian's iptables package).</summary>
public enum XtablesFlavour
{
    /// <summary><c>iptables-nft-restore</c>: iptables syntax stored as nf_tables rules (Debian's default <c>iptables</c>).</summary>
    Nft,

    /// <summary><c>iptables-legacy-restore</c>: the kernel's x_tables tables; resolves every jump when a table is built.</summary>
    Legacy,
}

/// <summary>
/// Runs the iptables tools: the program names per flavour and family, the per-user lock file the legacy tools take
/// (<c>XTABLES_LOCKFILE</c>, so nothing under /run is needed), and <c>--test</c> inside a throw-away network
/// namespace (<c>unshare -rn</c>), so nothing on the host is read or changed.
/// </summary>
public static class Xtables
{
    /// <summary>How long one run of a tool may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a tool waits for the xtables lock (<c>-w</c>) when another test holds it.</summary>
    public const string LockWaitSeconds = "30";

    /// <summary>A ruleset with no rule: what the availability check restores.</summary>
    private const string EmptyFilter = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";

    public static IEnumerable<XtablesFlavour> Flavours => Enum.GetValues<XtablesFlavour>();

    /// <summary><c>iptables-nft</c> or <c>ip6tables-legacy</c>: the program prefix for one flavour and family.</summary>
    public static string Tool(XtablesFlavour flavour, IpFamily family) =>
        (family == IpFamily.V4 ? "iptables-" : "ip6tables-") + (flavour == XtablesFlavour.Nft ? "nft" : "legacy");

    /// <summary>The name of a flavour as the iptables tools print it: <c>iptables-nft</c>, <c>iptables-legacy</c>.</summary>
    public static string Name(XtablesFlavour flavour) => Tool(flavour, IpFamily.V4);

    public static string Restore(XtablesFlavour flavour, IpFamily family) => Tool(flavour, family) + "-restore";

    public static string Save(XtablesFlavour flavour, IpFamily family) => Tool(flavour, family) + "-save";

    /// <summary>The emitted file of one family: <c>.iptables</c> (IPv4) or <c>.ip6tables</c> (IPv6).</summary>
    public static string Extension(IpFamily family) => family == IpFamily.V4 ? ".iptables" : ".ip6tables";

    /// <summary>The lock file of the legacy tools, one per user in the temporary folder ($TMPDIR).</summary>
    public static string LockFile =>
        Path.Combine(Path.GetTempPath(), "zonec-xtables-" + GetEffectiveUserId().ToString(CultureInfo.InvariantCulture) + ".lock");

    /// <summary>The environment every iptables tool runs with.</summary>
    public static IReadOnlyDictionary<string, string> ToolEnvironment =>
        new Dictionary<string, string>(StringComparer.Ordinal) { ["XTABLES_LOCKFILE"] = LockFile };

    /// <summary>The full path of one of the tools (<see cref="Restore"/>, <see cref="Save"/>, ...), or an exception.</summary>
    public static string Locate(string tool) =>
        ExternalTool.Find(tool) ?? throw new InvalidOperationException(tool + " is not installed (apt-get install iptables)");

    /// <summary>Why a flavour's restore tools cannot be run in a private network namespace here, or null when they can.</summary>
    public static async Task<string?> UnavailableReasonAsync(XtablesFlavour flavour, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the iptables tools need Linux";
        }

        if (ExternalTool.Find("unshare") is null)
        {
            return "unshare (util-linux) is not installed";
        }

        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            foreach (var tool in new[] { Restore(flavour, family), Save(flavour, family) })
            {
                if (ExternalTool.Find(tool) is null)
                {
                    return tool + " is not installed (apt-get install iptables)";
                }
            }

            var probe = await TestAsync(flavour, family, EmptyFilter, cancellationToken).ConfigureAwait(false);
            if (!probe.Succeeded)
            {
                return "cannot run " + Restore(flavour, family) + " in a private network namespace here: " + probe;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <c>unshare -rn &lt;tool&gt;-restore -w 30 --noflush --test</c> with the ruleset on standard input (as the
    /// emitted header loads it): exit code 0 means the tool parsed it and (legacy) the kernel would build the table.
    /// </summary>
    public static Task<ToolResult> TestAsync(XtablesFlavour flavour, IpFamily family, string ruleset, CancellationToken cancellationToken)
    {
        string unshare = ExternalTool.Find("unshare") ?? throw new InvalidOperationException("unshare is not installed");
        return ExternalTool.RunAsync(unshare, ["-rn", Locate(Restore(flavour, family)), "-w", LockWaitSeconds, "--noflush", "--test"], ruleset,
            Timeout, cancellationToken, ToolEnvironment);
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEffectiveUserId();
}

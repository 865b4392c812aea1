using System.Collections.Immutable;

namespace ZoneCompiler.Emitters;

/// <summary>The single table of read-back parsers, one per vendor that has one (used by the semantic tests).</summary>
public static class ConfigReaders
{
    public static ImmutableArray<IConfigReader> CreateDefault() =>
    [
        new Iptables.IptablesReader(),
        new JuniperSrx.JuniperSrxReader(),
        new PaloAlto.PaloAltoReader(),
        new CiscoIos.CiscoIosReader(),
        new CiscoAsa.CiscoAsaReader(),
        new Fortigate.FortigateReader(),
        new YamahaRtx.YamahaRtxReader(),
        new Nftables.NftablesReader(),
    ];

    /// <summary>
    /// The readers <c>zonec verify</c> uses: the same, except that readers which can also read the forms people write by
    /// hand into emitted files do so (nftables: rules without some matches, literal addresses, drop verdicts anywhere), and
    /// merge deltas are read with the state their header records (Cisco ASA: the ssh/http/icmp lines that stay).
    /// </summary>
    public static ImmutableArray<IConfigReader> ForVerification() =>
        [.. CreateDefault().Select(r => r switch
        {
            Nftables.NftablesReader => new Nftables.NftablesReader(acceptHandEdits: true),
            CiscoAsa.CiscoAsaReader => new CiscoAsa.CiscoAsaReader(stateOfDeltas: true),
            _ => r,
        })];
}

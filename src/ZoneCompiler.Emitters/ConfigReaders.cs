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
}

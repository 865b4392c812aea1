using System.Collections.Immutable;
using ZoneCompiler.Model;

namespace ZoneCompiler.Emitters;

/// <summary>
/// A small model of one vendor's device, written from the vendor's documentation and independently of the emitter:
/// it holds a running configuration, loads files the way the emitted header says they are loaded (merge, replace,
/// delete, <c>edit</c>/<c>set</c>/<c>unset</c>, <c>no</c> forms, object-group membership, table replace ...), and says
/// what the device then does with packets. Tests use it to prove reload safety: loading the previous output and then
/// the new one leaves the device enforcing exactly the new policy, and configuration zonec does not own is untouched.
/// </summary>
public interface IDeviceSimulator
{
    string Vendor { get; }

    /// <summary>
    /// A device with the firewall's interfaces that already holds configuration zonec does not own (chosen from
    /// <paramref name="seed"/>: other objects, rules, a management setting the site made by hand ...).
    /// </summary>
    ISimulatedDevice Create(Firewall firewall, int seed);
}

/// <summary>One simulated device (mutable: it is a device).</summary>
public interface ISimulatedDevice
{
    /// <summary>
    /// Loads the files of one firewall the documented way. Throws <see cref="DeviceLoadException"/> for anything the
    /// real device would refuse (a command on an object that does not exist, a name over the limit, an unknown line).
    /// </summary>
    void Load(ImmutableArray<OutputFile> files);

    /// <summary>What the device now does with packets, forwarded and addressed to itself: first match, no match denies.</summary>
    ReadAcl Effective();

    /// <summary>The configuration zonec does not own, as canonical text: a load must leave it exactly as it was.</summary>
    string ForeignConfiguration();
}

/// <summary>The simulated device refused a file (as the real one would, or as the model cannot tell).</summary>
public sealed class DeviceLoadException(string message) : Exception(message);

/// <summary>The single table of device simulators, one per vendor that has one.</summary>
public static class DeviceSimulators
{
    public static ImmutableArray<IDeviceSimulator> CreateDefault() =>
    [
        new CiscoAsa.CiscoAsaSimulator(),
        new CiscoIos.CiscoIosSimulator(),
        new Fortigate.FortigateSimulator(),
        new Iptables.IptablesSimulator(),
        new JuniperSrx.JuniperSrxSimulator(),
        new Nftables.NftablesSimulator(),
        new PaloAlto.PaloAltoSimulator(),
        new YamahaRtx.YamahaRtxSimulator(),
    ];
}

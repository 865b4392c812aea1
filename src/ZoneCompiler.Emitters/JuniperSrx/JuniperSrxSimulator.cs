using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Model;

namespace ZoneCompiler.Emitters.JuniperSrx;

/// <summary>
/// A simulated SRX: a Junos configuration tree (<see cref="JunosConfig"/>) that <c>load set</c> edits line by line
/// (<c>set</c> adds or replaces, <c>delete</c> removes a statement and everything under it, configuration groups are
/// inherited through <c>apply-groups</c>) followed by a commit: the committed configuration is checked the way a
/// commit checks it (references defined, an interface in one zone only, names within limits, one action per policy)
/// and a refused commit leaves the running configuration as it was. Written from the Junos CLI documentation,
/// independent of the emitter; what the device then does is <see cref="JuniperSrxReader.Evaluate"/> over the
/// effective (inherited) configuration.
/// </summary>
public sealed class JuniperSrxSimulator : IDeviceSimulator
{
    public string Vendor => JuniperSrxEmitter.VendorName;

    public ISimulatedDevice Create(Firewall firewall, int seed) => new Device(seed);

    private sealed class Device : ISimulatedDevice
    {
        private JunosConfig _running = new();

        public Device(int seed)
        {
            // The site's own configuration: a host name, a group of its own, zones and policies on interfaces zonec does not
            // declare (ge-7/0/x is never a declared name in the tests), address book entries and an application of its own.
            var rng = new Random(seed);
            var lines = new List<string>
            {
                "set system host-name srx-" + (seed % 1000).ToString(CultureInfo.InvariantCulture),
                "set system services ssh",
            };
            if (rng.Next(2) == 0)
            {
                lines.Add("set groups site-base system services netconf ssh");
                lines.Add("set apply-groups site-base");
            }

            int zones = 1 + rng.Next(3);
            for (int z = 0; z < zones; z++)
            {
                string zone = "site-z" + z.ToString(CultureInfo.InvariantCulture);
                lines.Add($"set security zones security-zone {zone} interfaces ge-7/0/{z}.0");
                if (rng.Next(2) == 0)
                {
                    lines.Add($"set security zones security-zone {zone} host-inbound-traffic system-services ping");
                }
            }

            lines.Add("set security address-book global address site-ntp 192.0.2.123/32");
            lines.Add("set security address-book global address site-lan 198.51.100.0/24");
            lines.Add("set security address-book global address-set site-servers address site-ntp");
            lines.Add("set applications application site-app protocol tcp");
            lines.Add("set applications application site-app destination-port 8443");
            if (zones > 1)
            {
                lines.Add("set security policies from-zone site-z0 to-zone site-z1 policy site-web match source-address site-lan");
                lines.Add("set security policies from-zone site-z0 to-zone site-z1 policy site-web match destination-address site-servers");
                lines.Add("set security policies from-zone site-z0 to-zone site-z1 policy site-web match application site-app");
                lines.Add("set security policies from-zone site-z0 to-zone site-z1 policy site-web then permit");
            }

            if (rng.Next(2) == 0)
            {
                lines.Add("set security log mode stream");
            }

            for (int i = 0; i < lines.Count; i++)
            {
                _running.Apply(lines[i], "site:" + (i + 1).ToString(CultureInfo.InvariantCulture));
            }

            Commit(_running, "site configuration");
        }

        public void Load(ImmutableArray<OutputFile> files)
        {
            foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
            {
                // load set edits a candidate copy; commit makes it running, a refused commit discards it.
                var candidate = _running.Clone();
                try
                {
                    var lines = file.Content.Split('\n');
                    for (int n = 0; n < lines.Length; n++)
                    {
                        candidate.Apply(lines[n], $"{file.RelativePath}:{n + 1}");
                    }

                    Commit(candidate, file.RelativePath);
                }
                catch (FormatException e)
                {
                    throw new DeviceLoadException(e.Message);
                }

                _running = candidate;
            }
        }

        private static void Commit(JunosConfig candidate, string origin) =>
            JuniperSrxReader.Evaluate(candidate.Effective(), origin);

        public ReadAcl Effective() => JuniperSrxReader.Evaluate(_running.Effective(), "running");

        public string ForeignConfiguration() =>
            string.Join('\n', _running.SetLines(path =>
                (path.Count >= 2 && path[0] == "groups" && path[1] == JuniperSrxLexicon.Group)
                || (path.Count == 2 && path[0] == "apply-groups" && path[1] == JuniperSrxLexicon.Group))) + "\n";
    }
}

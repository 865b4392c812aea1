using ZoneCompiler.Emitters;

namespace ZoneCompiler.Tests.Deploy;

internal static class DeploySupport
{
    /// <summary>Skips a vendor's row while the vendor has no device simulator (see <see cref="DeviceSimulators"/>).</summary>
    public static void SkipWithoutSimulator(string vendor)
    {
        if (!DeviceSimulators.CreateDefault().Any(s => s.Vendor == vendor))
        {
            Assert.Skip($"{vendor} has no device simulator");
        }
    }
}

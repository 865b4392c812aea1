using CsCheck;
using ZoneCompiler.Emitters;

namespace ZoneCompiler.Tests.ReadBack;

/// <summary>
/// For every vendor with a reader: random policies are compiled, emitted, read back, and compared packet by
/// packet with the lowered ACL. Allowed stays allowed, everything else stays denied.
/// </summary>
public sealed class ReadBackPropertyTests
{
    public const int Policies = 500;

    /// <summary>Every vendor that has a reader in <see cref="ConfigReaders"/>.</summary>
    public static TheoryData<string> Vendors => [.. ConfigReaders.CreateDefault().Select(r => r.Vendor)];

    private static (IFirewallEmitter Emitter, IConfigReader Reader) Pair(string vendor) =>
        (EmitterRegistry.CreateDefault().Find(vendor) ?? throw new ArgumentOutOfRangeException(nameof(vendor)),
         ConfigReaders.CreateDefault().Single(r => r.Vendor == vendor));

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Read_back_means_exactly_the_declared_flows(string vendor)
    {
        var (emitter, reader) = Pair(vendor);
        int checkedPolicies = 0;
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var policy = ReadBackHarness.Load(RandomPolicy.Generate(seed));
            if (policy is null)
            {
                return true;
            }

            checkedPolicies++;
            string? mismatch = ReadBackHarness.FirstMismatch(policy, emitter, reader, seed);
            Assert.True(mismatch is null, $"seed {seed}: {mismatch}");
            return true;
        }, iter: Policies, threads: 1);
        Assert.True(checkedPolicies >= Policies * 9 / 10, $"only {checkedPolicies} of {Policies} generated policies were valid");
    }
}

using CsCheck;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Verification;
using ZoneCompiler.Tests.ReadBack;

namespace ZoneCompiler.Tests.Verification;

/// <summary>
/// The exact form of the read-back property: for random policies (with traffic to the firewalls) and every vendor with
/// a reader, the emitted files read back mean exactly the declared flows over the whole packet space, so
/// <see cref="Verifier"/> finds no difference.
/// </summary>
public sealed class VerifyPropertyTests
{
    public const int Policies = 60;

    public static TheoryData<string> Vendors => [.. ConfigReaders.CreateDefault().Select(r => r.Vendor)];

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Emitted_configurations_verify_without_differences(string vendor)
    {
        var emitter = EmitterRegistry.CreateDefault().Find(vendor)!;
        var reader = ConfigReaders.CreateDefault().Single(r => r.Vendor == vendor);
        int verified = 0;
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var policy = ReadBackHarness.Load(RandomPolicy.Generate(seed, new RandomPolicy.Options(Local: seed % 2 == 0)));
            if (policy is null)
            {
                return true;
            }

            foreach (var fw in policy.Firewalls)
            {
                if (ReadBackHarness.Emit(policy, fw, emitter, PreviousOutput.None) is not { } emitted)
                {
                    continue;
                }

                var result = Verifier.Verify(policy, emitted.Acl, reader.Read(emitted.Files), limit: 5);
                if (!result.Differences.IsEmpty)
                {
                    Assert.Fail($"seed {seed} {vendor} {fw.Id}:\n" + string.Join("\n", result.Differences.Select(d =>
                        $"{d.Kind} {d.InInterface}->{d.OutInterface} {d.Witness} config {d.ConfigRule?.Origin ?? "none"} declared {d.DeclaredId}")));
                }

                verified++;
            }

            return true;
        }, iter: Policies, threads: 1);
        Assert.True(verified >= Policies / 2, $"only {verified} firewalls verified");
    }
}

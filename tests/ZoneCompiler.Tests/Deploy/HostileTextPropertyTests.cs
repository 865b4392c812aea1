using CsCheck;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Tests.ReadBack;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Deploy;

/// <summary>
/// Every user text is hostile until proven otherwise. Random policies whose firewall names, zone names, flow purposes
/// and owners and interface names hold quotes, newlines, comment and statement characters, braces, backslashes,
/// wildcards, NUL, right-to-left marks and 1,000-character texts are emitted by each vendor: the result is either
/// refused with an error diagnostic, or it reads back as exactly the declared rules and no line of it starts with the
/// marker the hostile texts try to smuggle onto a line of its own.
/// </summary>
public sealed class HostileTextPropertyTests
{
    public const int Policies = 300;

    /// <summary>Every vendor (skipped while its deployment work, marked by a device simulator, is not in place).</summary>
    public static TheoryData<string> Vendors => [.. EmitterRegistry.CreateDefault().Emitters.Select(e => e.Vendor)];

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Hostile_texts_are_refused_or_written_exactly(string vendor)
    {
        DeploySupport.SkipWithoutSimulator(vendor);
        var emitter = EmitterRegistry.CreateDefault().Find(vendor)!;
        var reader = ConfigReaders.CreateDefault().Single(r => r.Vendor == vendor);
        int emitted = 0, refused = 0;
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var policy = ReadBackHarness.Load(RandomPolicy.Generate(seed, new RandomPolicy.Options(Local: true, Hostile: true)));
            if (policy is null)
            {
                return true;
            }

            foreach (var fw in policy.Firewalls)
            {
                var acl = Placement.FlowPlacement.Lower(policy, fw);
                var bag = new DiagnosticBag();
                var files = emitter.Emit(acl, new EmitContext(policy, bag));
                if (bag.HasErrors)
                {
                    refused++;
                    continue;
                }

                emitted++;
                foreach (var file in files)
                {
                    foreach (var line in file.Content.Split('\n'))
                    {
                        Assert.False(line.TrimStart().StartsWith(RandomPolicy.Marker, StringComparison.Ordinal),
                            $"seed {seed}: {vendor} {file.RelativePath} has a line made of user text: {line}");
                    }
                }

                ReadAcl read;
                try
                {
                    read = reader.Read(files);
                }
                catch (FormatException e)
                {
                    Assert.Fail($"seed {seed}: {vendor} output for {fw.Id} does not read back ({e.Message}):\n{string.Join("\n", files.Select(f => f.Content))}");
                    throw;
                }

                string? mismatch = ReadBackHarness.Compare(acl, read,
                    ReadBackHarness.Packets(policy, fw, new Random(seed), acl.Local.Length > 0), "read-back");
                Assert.True(mismatch is null, $"seed {seed}: {vendor} firewall {fw.Id}: {mismatch}");
            }

            return true;
        }, iter: Policies, threads: 1);
        Assert.True(emitted > 0 && refused > 0, $"{vendor}: {emitted} firewalls emitted, {refused} refused: the generator must exercise both");
        TestReport.Write("hostile-text", [$"[{vendor}] hostile texts: {emitted} firewalls emitted exactly, {refused} refused with a diagnostic"]);
    }
}

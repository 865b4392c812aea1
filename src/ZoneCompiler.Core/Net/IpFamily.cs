namespace ZoneCompiler.Net;

public enum IpFamily
{
    V4,
    V6,
}

public static class IpFamilyExtensions
{
    public static int Bits(this IpFamily family) => family == IpFamily.V4 ? 32 : 128;

    public static UInt128 MaxValue(this IpFamily family) =>
        family == IpFamily.V4 ? uint.MaxValue : UInt128.MaxValue;
}

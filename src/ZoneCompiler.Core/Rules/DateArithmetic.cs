namespace ZoneCompiler.Rules;

/// <summary>
/// Date arithmetic that stays inside the calendar's range (0001-01-01 to 9999-12-31) instead of throwing: every
/// valid <c>--as-of</c> and YAML date works, including the first and the last day.
/// </summary>
public static class DateArithmetic
{
    /// <summary><paramref name="date"/> plus <paramref name="days"/>, clamped to 0001-01-01 and 9999-12-31.</summary>
    public static DateOnly AddDaysSaturating(DateOnly date, int days)
    {
        long target = (long)date.DayNumber + days;
        return DateOnly.FromDayNumber((int)Math.Clamp(target, DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber));
    }
}

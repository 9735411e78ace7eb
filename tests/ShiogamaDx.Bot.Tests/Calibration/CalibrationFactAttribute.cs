namespace ShiogamaDx.Bot.Tests.Calibration;

/// <summary>
/// A harness, not a test: a search of minutes over every dev set, run only when CALIBRATE names it
/// (<c>CALIBRATE=residents</c>, <c>CALIBRATE=documents</c>); CI never sets it.
/// </summary>
public sealed class CalibrationFactAttribute : FactAttribute
{
    public CalibrationFactAttribute(string harness)
    {
        if (!string.Equals(Environment.GetEnvironmentVariable("CALIBRATE"), harness, StringComparison.Ordinal))
        {
            Skip = $"calibration harness: runs only with CALIBRATE={harness}";
        }
    }
}

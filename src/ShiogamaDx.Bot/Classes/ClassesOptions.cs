using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Classes;

public sealed class ClassesOptions
{
    public const string SectionName = "Classes";

    /// <summary>The schedule file; empty: <c>classes.yaml</c> in the content folder (<c>Content:Path</c>).</summary>
    public string? ScheduleFile { get; set; }

    /// <summary>Local time (Asia/Tokyo) on the day before a class from which its reminders are sent.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:00")]
    public TimeSpan ReminderTime { get; set; } = new(10, 0, 0);

    /// <summary>Minutes after a class ends when its survey is pushed automatically.</summary>
    [Range(0, 10_080)]
    public int SurveyDelayMinutes { get; set; } = 60;

    /// <summary>Days after a class ends during which its survey can be answered (and an answer replaced).</summary>
    [Range(1, 365)]
    public int SurveyCloseDays { get; set; } = 14;

    /// <summary>A fiscal year's comprehension rate is published only from this many answers on.</summary>
    [Range(1, 1_000)]
    public int KpiMinimumResponses { get; set; } = 5;

    /// <summary>People a registrant may bring along (family, friends).</summary>
    [Range(0, 10)]
    public int MaxCompanions { get; set; } = 3;

    /// <summary>Classes shown at once in the carousel.</summary>
    [Range(1, 10)]
    public int ListSize { get; set; } = 6;

    /// <summary>How often the reminder/survey job looks for work.</summary>
    [Range(1, 86_400)]
    public int CheckIntervalSeconds { get; set; } = 300;

    /// <summary>Runs the reminder/survey job in this process (turn off on all but one kind of worker if wanted).</summary>
    public bool BackgroundJobs { get; set; } = true;
}

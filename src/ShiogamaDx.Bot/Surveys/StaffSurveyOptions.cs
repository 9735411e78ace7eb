using System.ComponentModel.DataAnnotations;

namespace ShiogamaDx.Bot.Surveys;

public sealed class StaffSurveyOptions
{
    public const string SectionName = "StaffSurveys";

    /// <summary>
    /// Staff chat ids (Entra ID object ids, as the staff channel sees them) of the DX promotion office: they
    /// may send surveys and close them. Everyone else may answer and see aggregate results.
    /// </summary>
    public List<string> OfficeMembers { get; set; } = [];

    /// <summary>Results and KPI values are shown only from this many answers on (anonymity).</summary>
    [Range(1, 100)]
    public int MinimumResponses { get; set; } = 5;

    /// <summary>Non-respondents get one reminder this long after the survey was sent to them.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan RemindAfter { get; set; } = TimeSpan.FromDays(2);

    /// <summary>A new training's survey stays open this long after the training day.</summary>
    [Range(1, 365)]
    public int OpenDays { get; set; } = 14;

    /// <summary>File of the trainings loaded at start (sample by default; the office also adds them through the operations API).</summary>
    public string? TrainingsFile { get; set; }
}

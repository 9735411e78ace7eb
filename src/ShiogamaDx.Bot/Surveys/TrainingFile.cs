using System.Globalization;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Surveys;

/// <summary>One training as the office writes it in Content/trainings.yaml.</summary>
public sealed record TrainingRow(string Title, string Kind, DateOnly HeldOn, string? Audience);

/// <summary>Reads Content/trainings.yaml; every problem names file and line (<see cref="ContentFileException"/>).</summary>
public static class TrainingFile
{
    public const string FileName = "trainings.yaml";

    /// <summary><c>StaffSurveys:TrainingsFile</c>, else trainings.yaml in the content folder.</summary>
    public static string PathOf(StaffSurveyOptions options, Content.ContentOptions content) =>
        options.TrainingsFile ?? Path.Combine(content.FullPath, FileName);

    public static IReadOnlyList<TrainingRow> Load(string file)
    {
        var root = DialogLoader.ReadRoot(File.ReadAllText(file), file);
        var rows = new List<TrainingRow>();
        foreach (var node in DialogLoader.Sequence(root, "trainings", file))
        {
            if (node is not YamlMappingNode map)
            {
                throw new ContentFileException(file, DialogLoader.Line(node), "a training is a mapping with title, kind and heldOn");
            }

            var heldOn = DialogLoader.Required(map, "heldOn", file);
            if (!DateOnly.TryParseExact(heldOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new ContentFileException(file, DialogLoader.Line(map), $"heldOn '{heldOn}' is not a date (yyyy-MM-dd)");
            }

            rows.Add(new TrainingRow(DialogLoader.Required(map, "title", file), DialogLoader.Required(map, "kind", file), date, DialogLoader.Optional(map, "audience")));
        }

        return rows;
    }
}

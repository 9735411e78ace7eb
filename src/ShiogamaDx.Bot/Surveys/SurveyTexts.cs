using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Surveys;

/// <summary>What staff read about 研修アンケート (Content/messages.yaml, section <c>surveys</c>).</summary>
internal static class SurveyTexts
{
    public static readonly MessageKey TrainingNotFound = new("surveys.training-not-found");
    public static readonly MessageKey Sent = new("surveys.sent", "title", "count");
    public static readonly MessageKey Closed = new("surveys.closed", "title");
    public static readonly MessageKey CloseFailed = new("surveys.close-failed");
    public static readonly MessageKey OfficeOnly = new("surveys.office-only");
    public static readonly MessageKey NotAllowed = new("surveys.not-allowed");
    public static readonly MessageKey PickResults = new("surveys.pick-results");
    public static readonly MessageKey PickClose = new("surveys.pick-close");
    public static readonly MessageKey PickSend = new("surveys.pick-send");
    public static readonly MessageKey PickAnswer = new("surveys.pick-answer");
    public static readonly MessageKey AlreadyClosed = new("surveys.already-closed", "title");
    public static readonly MessageKey NoneOpen = new("surveys.none-open");
    public static readonly MessageKey NoTrainings = new("surveys.no-trainings");
    public static readonly MessageKey TooFew = new("surveys.too-few", "title", "count", "minimum");
    public static readonly MessageKey RowResponses = new("surveys.row-responses");
    public static readonly MessageKey RowResponsesValue = new("surveys.row-responses-value", "count");
    public static readonly MessageKey RowSatisfaction = new("surveys.row-satisfaction");
    public static readonly MessageKey RowDifficulty = new("surveys.row-difficulty");
    public static readonly MessageKey RowDigitalTools = new("surveys.row-digital-tools");
    public static readonly MessageKey RowGenAi = new("surveys.row-genai");
    public static readonly MessageKey DifficultyEasy = new("surveys.difficulty-easy");
    public static readonly MessageKey DifficultyRight = new("surveys.difficulty-right");
    public static readonly MessageKey DifficultyHard = new("surveys.difficulty-hard");
    public static readonly MessageKey Note = new("surveys.note");
    public static readonly MessageKey NoteComments = new("surveys.note-comments");
    public static readonly MessageKey NoteComment = new("surveys.note-comment", "comment");
    public static readonly MessageKey ResultsTitle = new("surveys.results-title", "title", "month", "day");
    public static readonly MessageKey HeaderItem = new("surveys.header-item");
    public static readonly MessageKey HeaderResult = new("surveys.header-result");
    public static readonly MessageKey Unreadable = new("surveys.unreadable");
    public static readonly MessageKey Thanks = new("surveys.thanks");
    public static readonly MessageKey ClosedBeforeSaving = new("surveys.closed-before-saving");
    public static readonly MessageKey KpiQuestionDigitalTools = new("surveys.kpi-question-digital-tools");
    public static readonly MessageKey KpiQuestionGenAi = new("surveys.kpi-question-genai");
    public static readonly MessageKey KpiSource = new("surveys.kpi-source", "question", "count");
    public static readonly MessageKey InvitationAlt = new("surveys.invitation-alt", "title");
    public static readonly MessageKey InvitationTitle = new("surveys.invitation-title", "title");
    public static readonly MessageKey ReminderTitle = new("surveys.reminder-title", "title");
    public static readonly MessageKey InvitationBody = new("surveys.invitation-body", "month", "day", "closes");
    public static readonly MessageKey ReminderBody = new("surveys.reminder-body", "month", "day", "closes");
    public static readonly MessageKey ClosesAt = new("surveys.closes-at", "month", "day", "time");
    public static readonly MessageKey InvitationButton = new("surveys.invitation-button");

    public static MessageKey Difficulty(string value) => value switch
    {
        "easy" => DifficultyEasy,
        "right" => DifficultyRight,
        _ => DifficultyHard,
    };
}

using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>What residents and staff read about お知らせ (Content/messages.yaml, section <c>announcements</c>).</summary>
internal static class AnnouncementTexts
{
    public static readonly MessageKey ListSeparator = new("announcements.list-separator");

    // Residents: the settings and the welcome
    public static readonly MessageKey SettingsIntro = new("announcements.settings-intro");
    public static readonly MessageKey SettingOn = new("announcements.setting-on", "number", "topic");
    public static readonly MessageKey SettingOff = new("announcements.setting-off", "number", "topic");
    public static readonly MessageKey SettingsHint = new("announcements.settings-hint");
    public static readonly MessageKey ChoiceTurnOn = new("announcements.choice-turn-on", "topic");
    public static readonly MessageKey ChoiceTurnOff = new("announcements.choice-turn-off", "topic");
    public static readonly MessageKey TurnedOn = new("announcements.turned-on", "topic");
    public static readonly MessageKey TurnedOff = new("announcements.turned-off", "topic");
    public static readonly MessageKey WelcomeTitle = new("announcements.welcome-title");
    public static readonly MessageKey WelcomeBody = new("announcements.welcome-body", "defaults", "others");
    public static readonly MessageKey WelcomeButton = new("announcements.welcome-button");
    public static readonly MessageKey SettingsWord = new("announcements.settings-word");

    // What residents receive
    public static readonly MessageKey Heading = new("announcements.heading", "topic");
    public static readonly MessageKey ClassHeading = new("announcements.class-heading", "title", "month", "day", "venue");
    public static readonly MessageKey ImageAlt = new("announcements.image-alt", "topic");

    // Staff: composing and its checks
    public static readonly MessageKey Help = new("announcements.help");
    public static readonly MessageKey ComposeHelp = new("announcements.compose-help", "topics", "max");
    public static readonly MessageKey AuthorsOnly = new("announcements.authors-only");
    public static readonly MessageKey NotKept = new("announcements.not-kept");
    public static readonly MessageKey Problem = new("announcements.problem", "problem");
    public static readonly MessageKey TopicMissing = new("announcements.topic-missing", "topics");
    public static readonly MessageKey TopicUnknown = new("announcements.topic-unknown", "topic", "topics");
    public static readonly MessageKey TextMissing = new("announcements.text-missing");
    public static readonly MessageKey TextTooLong = new("announcements.text-too-long", "max", "length");
    public static readonly MessageKey PartTooLong = new("announcements.part-too-long", "number", "max", "length");
    public static readonly MessageKey PartEmpty = new("announcements.part-empty", "number");
    public static readonly MessageKey TooManyMessages = new("announcements.too-many-messages", "max", "count");
    public static readonly MessageKey ClassUnknown = new("announcements.class-unknown", "class", "classes");
    public static readonly MessageKey AuthorsOfTopicOnly = new("announcements.authors-of-topic-only", "topic");
    public static readonly MessageKey PreviewEveryone = new("announcements.preview-everyone");
    public static readonly MessageKey PreviewClass = new("announcements.preview-class", "class");
    public static readonly MessageKey LinkNotHttps = new("announcements.link-not-https");
    public static readonly MessageKey LinkHostNotAllowed = new("announcements.link-host-not-allowed", "host", "hosts");
    public static readonly MessageKey ImageNotHttps = new("announcements.image-not-https");
    public static readonly MessageKey ImageNotJpegOrPng = new("announcements.image-not-jpeg-or-png");
    public static readonly MessageKey SendAtPast = new("announcements.send-at-past");
    public static readonly MessageKey WhenUnreadable = new("announcements.when-unreadable");
    public static readonly MessageKey Now = new("announcements.now");
    public static readonly MessageKey PreviewHeader = new("announcements.preview-header", "id", "topic", "count", "when");
    public static readonly MessageKey AskedApprovers = new("announcements.asked-approvers", "id");

    // Staff: approving
    public static readonly MessageKey ReviewRequest = new("announcements.review-request", "id", "topic", "when");
    public static readonly MessageKey DecidePrompt = new("announcements.decide-prompt");
    public static readonly MessageKey ApproveLabel = new("announcements.approve-label");
    public static readonly MessageKey ReturnLabel = new("announcements.return-label");
    public static readonly MessageKey ApprovedSent = new("announcements.approved-sent", "id", "count");
    public static readonly MessageKey ApprovedScheduled = new("announcements.approved-scheduled", "id", "when");
    public static readonly MessageKey OverQuota = new("announcements.over-quota", "id");
    public static readonly MessageKey PreviewFriends = new("announcements.preview-friends", "friends");
    public static readonly MessageKey OwnAnnouncement = new("announcements.own-announcement");
    public static readonly MessageKey ApproversOnly = new("announcements.approvers-only");
    public static readonly MessageKey NotPending = new("announcements.not-pending", "id");
    public static readonly MessageKey NotFound = new("announcements.not-found", "id");
    public static readonly MessageKey NonePending = new("announcements.none-pending");
    public static readonly MessageKey Returned = new("announcements.returned", "id");
    public static readonly MessageKey ReturnedToAuthor = new("announcements.returned-to-author", "id", "reason");
    public static readonly MessageKey NoReason = new("announcements.no-reason");

    // Staff: emergency
    public static readonly MessageKey EmergencyOnly = new("announcements.emergency-only");
    public static readonly MessageKey EmergencyHelp = new("announcements.emergency-help", "topics");
    public static readonly MessageKey NotEmergencyTopic = new("announcements.not-emergency-topic", "topic", "topics");
    public static readonly MessageKey EmergencySent = new("announcements.emergency-sent", "id", "topic", "count");
    public static readonly MessageKey EmergencyNotice = new("announcements.emergency-notice", "id", "topic", "count");

    // Staff: results
    public static readonly MessageKey Result = new("announcements.result", "id", "topic", "delivered", "failed");
    public static readonly MessageKey UnfollowsReport = new("announcements.unfollows-report", "id", "topic", "delivered", "unfollows");
    public static readonly MessageKey NoneYet = new("announcements.none-yet");
    public static readonly MessageKey MonthlyTitle = new("announcements.monthly-title");
    public static readonly MessageKey MonthlyNote = new("announcements.monthly-note");
    public static readonly MessageKey Month = new("announcements.month", "year", "month");
    public static readonly MessageKey ColumnMonth = new("announcements.column-month");
    public static readonly MessageKey ColumnSent = new("announcements.column-sent");
    public static readonly MessageKey ColumnSentAt = new("announcements.column-sent-at");
    public static readonly MessageKey ResultsTitle = new("announcements.results-title");
    public static readonly MessageKey ResultsNote = new("announcements.results-note");
    public static readonly MessageKey EmergencyMark = new("announcements.emergency-mark");
    public static readonly MessageKey ColumnId = new("announcements.column-id");
    public static readonly MessageKey ColumnTopic = new("announcements.column-topic");
    public static readonly MessageKey ColumnStatus = new("announcements.column-status");
    public static readonly MessageKey ColumnRecipients = new("announcements.column-recipients");
    public static readonly MessageKey ColumnDelivered = new("announcements.column-delivered");
    public static readonly MessageKey ColumnFailed = new("announcements.column-failed");
    public static readonly MessageKey ColumnUnfollows = new("announcements.column-unfollows");
    public static readonly MessageKey StatusPending = new("announcements.status-pending");
    public static readonly MessageKey StatusReturned = new("announcements.status-returned");
    public static readonly MessageKey StatusApproved = new("announcements.status-approved");
    public static readonly MessageKey StatusSending = new("announcements.status-sending");
    public static readonly MessageKey StatusDone = new("announcements.status-done");

    // Staff: translations (residents' languages)
    public static readonly MessageKey TranslationLanguageUnknown = new("announcements.translation-language-unknown", "language", "languages");
    public static readonly MessageKey TranslationProblem = new("announcements.translation-problem", "language", "problem");
    public static readonly MessageKey PreviewTranslation = new("announcements.preview-translation", "language");
    public static readonly MessageKey PreviewUntranslated = new("announcements.preview-untranslated", "count", "languages");

    public static MessageKey Status(AnnouncementStatus status) => status switch
    {
        AnnouncementStatus.Pending => StatusPending,
        AnnouncementStatus.Returned => StatusReturned,
        AnnouncementStatus.Approved => StatusApproved,
        AnnouncementStatus.Sending => StatusSending,
        _ => StatusDone,
    };
}

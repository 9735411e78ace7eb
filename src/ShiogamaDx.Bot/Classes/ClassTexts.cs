using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Classes;

/// <summary>What residents and staff read about スマホ教室 (Content/messages.yaml, section <c>classes</c>).</summary>
internal static class ClassTexts
{
    public static readonly MessageKey CardSeatsLeft = new("classes.card-seats-left", "seats");
    public static readonly MessageKey CardFull = new("classes.card-full");
    public static readonly MessageKey CardBody = new("classes.card-body", "time", "venue", "topic", "seats");
    public static readonly MessageKey CardRegister = new("classes.card-register");
    public static readonly MessageKey CardWait = new("classes.card-wait");
    public static readonly MessageKey Details = new("classes.details", "title", "time", "venue", "address", "people", "bring");
    public static readonly MessageKey PeopleAlone = new("classes.people-alone");
    public static readonly MessageKey PeopleWith = new("classes.people-with", "people", "companions");
    public static readonly MessageKey Confirmed = new("classes.confirmed", "details");
    public static readonly MessageKey Waiting = new("classes.waiting", "position", "details");
    public static readonly MessageKey Promoted = new("classes.promoted", "details");
    public static readonly MessageKey PromotedPrompt = new("classes.promoted-prompt");
    public static readonly MessageKey CancelButton = new("classes.cancel-button");
    public static readonly MessageKey Reminder = new("classes.reminder", "details");
    public static readonly MessageKey ReminderPrompt = new("classes.reminder-prompt");
    public static readonly MessageKey SurveyInvitation = new("classes.survey-invitation", "day", "title");
    public static readonly MessageKey SurveyInvitationPrompt = new("classes.survey-invitation-prompt");
    public static readonly MessageKey SurveyInvitationButton = new("classes.survey-invitation-button");
    public static readonly MessageKey ClassCancelled = new("classes.class-cancelled", "time", "title", "venue");
    public static readonly MessageKey ClassCancelledPrompt = new("classes.class-cancelled-prompt");
    public static readonly MessageKey ScheduleButton = new("classes.schedule-button");
    public static readonly MessageKey StatusCancelled = new("classes.status-cancelled");
    public static readonly MessageKey StatusWaiting = new("classes.status-waiting", "position");
    public static readonly MessageKey StatusRegistered = new("classes.status-registered", "seats");

    public static readonly MessageKey NothingToRegister = new("classes.nothing-to-register");
    public static readonly MessageKey NotFoundMaybeChanged = new("classes.not-found-maybe-changed");
    public static readonly MessageKey CancelledRefusal = new("classes.cancelled-refusal", "time", "title");
    public static readonly MessageKey ClosedRefusal = new("classes.closed-refusal", "title");
    public static readonly MessageKey AlreadyRegisteredFor = new("classes.already-registered-for", "time", "title", "status");
    public static readonly MessageKey Summary = new("classes.summary", "title", "time", "venue", "address", "bring");
    public static readonly MessageKey QuestionWaitingList = new("classes.question-waiting-list");
    public static readonly MessageKey QuestionRegister = new("classes.question-register");
    public static readonly MessageKey CompanionsTooMany = new("classes.companions-too-many", "max");
    public static readonly MessageKey CompanionsOneSeat = new("classes.companions-one-seat");
    public static readonly MessageKey CompanionsSeatsLeft = new("classes.companions-seats-left", "seats", "companions");
    public static readonly MessageKey CompanionsCapacity = new("classes.companions-capacity", "capacity", "companions");
    public static readonly MessageKey AlreadyRegistered = new("classes.already-registered");
    public static readonly MessageKey TooManyPeople = new("classes.too-many-people", "capacity");
    public static readonly MessageKey Closed = new("classes.closed");
    public static readonly MessageKey NotFound = new("classes.not-found");
    public static readonly MessageKey SurveyUnreadable = new("classes.survey-unreadable");
    public static readonly MessageKey SurveyReplaced = new("classes.survey-replaced");
    public static readonly MessageKey SurveyNotParticipant = new("classes.survey-not-participant");
    public static readonly MessageKey SurveyTooEarly = new("classes.survey-too-early");
    public static readonly MessageKey SurveyClosed = new("classes.survey-closed", "title");
    public static readonly MessageKey SurveyNone = new("classes.survey-none");

    public static readonly MessageKey Kept = new("classes.kept");
    public static readonly MessageKey NoneUpcoming = new("classes.none-upcoming");
    public static readonly MessageKey ListFirst = new("classes.list-first");
    public static readonly MessageKey ListMore = new("classes.list-more");
    public static readonly MessageKey ListAlt = new("classes.list-alt");
    public static readonly MessageKey MoreCount = new("classes.more-count", "count");
    public static readonly MessageKey MoreButton = new("classes.more-button");
    public static readonly MessageKey NothingToCancel = new("classes.nothing-to-cancel");
    public static readonly MessageKey NoRegistrations = new("classes.no-registrations");
    public static readonly MessageKey SchedulePrompt = new("classes.schedule-prompt");
    public static readonly MessageKey MineCardBody = new("classes.mine-card-body", "time", "venue", "status");
    public static readonly MessageKey MineCancelIntro = new("classes.mine-cancel-intro");
    public static readonly MessageKey MineCount = new("classes.mine-count", "count");
    public static readonly MessageKey MineAlt = new("classes.mine-alt");
    public static readonly MessageKey RegistrationNotFound = new("classes.registration-not-found");
    public static readonly MessageKey RegistrationAlreadyCancelled = new("classes.registration-already-cancelled");
    public static readonly MessageKey TooLateToCancel = new("classes.too-late-to-cancel");
    public static readonly MessageKey WhatWaiting = new("classes.what-waiting");
    public static readonly MessageKey WhatRegistration = new("classes.what-registration");
    public static readonly MessageKey AskCancel = new("classes.ask-cancel", "time", "title", "venue", "what");
    public static readonly MessageKey Yes = new("classes.yes");
    public static readonly MessageKey No = new("classes.no");
    public static readonly MessageKey CancelDone = new("classes.cancel-done", "title", "time");

    public static readonly MessageKey ResultsNone = new("classes.results-none");
    public static readonly MessageKey ResultsTitle = new("classes.results-title");
    public static readonly MessageKey ResultsHeaderDate = new("classes.results-header-date");
    public static readonly MessageKey ResultsHeaderClass = new("classes.results-header-class");
    public static readonly MessageKey ResultsHeaderVenue = new("classes.results-header-venue");
    public static readonly MessageKey ResultsHeaderAnswers = new("classes.results-header-answers");
    public static readonly MessageKey ResultsHeaderRate = new("classes.results-header-rate");
    public static readonly MessageKey ResultsNote = new("classes.results-note");
    public static readonly MessageKey ResultsPick = new("classes.results-pick");
    public static readonly MessageKey DetailTitle = new("classes.detail-title", "day", "title");
    public static readonly MessageKey DetailSummary = new("classes.detail-summary", "answers", "rate");
    public static readonly MessageKey DetailCount = new("classes.detail-count", "label", "count");
    public static readonly MessageKey DetailSatisfaction = new("classes.detail-satisfaction", "counts");
    public static readonly MessageKey DetailSatisfactionCount = new("classes.detail-satisfaction-count", "label", "count");
    public static readonly MessageKey DetailSeparator = new("classes.detail-separator");
    public static readonly MessageKey DetailNoComments = new("classes.detail-no-comments");
    public static readonly MessageKey DetailComments = new("classes.detail-comments");
    public static readonly MessageKey DetailComment = new("classes.detail-comment", "comment");
    public static readonly MessageKey KpiSource = new("classes.kpi-source", "answers", "understood", "minimum");
}

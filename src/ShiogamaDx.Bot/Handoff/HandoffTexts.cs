using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Handoff;

/// <summary>What residents and staff read about 有人対応 (Content/messages.yaml, section <c>handoff</c>).</summary>
internal static class HandoffTexts
{
    // The resident's side
    public static readonly MessageKey Off = new("handoff.off", "contact");
    public static readonly MessageKey AskInHours = new("handoff.ask-in-hours");
    public static readonly MessageKey AskOutOfHours = new("handoff.ask-out-of-hours", "opens");
    public static readonly MessageKey Received = new("handoff.received");
    public static readonly MessageKey ReceivedOutOfHours = new("handoff.received-out-of-hours", "opens");
    public static readonly MessageKey StillWaiting = new("handoff.still-waiting");
    public static readonly MessageKey NoMedia = new("handoff.no-media");
    public static readonly MessageKey Connected = new("handoff.connected", "staff");
    public static readonly MessageKey FromStaff = new("handoff.from-staff", "staff", "text");
    public static readonly MessageKey StaffName = new("handoff.staff-name", "name");
    public static readonly MessageKey Anonymous = new("handoff.anonymous");
    public static readonly MessageKey CancelledByResident = new("handoff.cancelled-by-resident");
    public static readonly MessageKey ClosedByResident = new("handoff.closed-by-resident");
    public static readonly MessageKey ClosedByStaff = new("handoff.closed-by-staff", "staff");
    public static readonly MessageKey RatingPrompt = new("handoff.rating-prompt");
    public static readonly MessageKey RatingThanks = new("handoff.rating-thanks");
    public static readonly MessageKey TimedOut = new("handoff.timed-out", "contact");
    public static readonly MessageKey TimedOutCallback = new("handoff.timed-out-callback", "contact", "phone");
    public static readonly MessageKey CallbackNoted = new("handoff.callback-noted", "phone");
    public static readonly MessageKey CallbackClosed = new("handoff.callback-closed", "staff");
    public static readonly MessageKey Offer = new("handoff.offer");
    public static readonly MessageKey OfferButton = new("handoff.offer-button");
    public static readonly MessageKey OfferNo = new("handoff.offer-no");
    public static readonly MessageKey Opens = new("handoff.opens", "month", "day", "weekday", "time");

    // The staff side
    public static readonly MessageKey Pseudonym = new("handoff.pseudonym", "code");
    public static readonly MessageKey CardTitle = new("handoff.card-title", "resident");
    public static readonly MessageKey CardTitleOutOfHours = new("handoff.card-title-out-of-hours", "resident");
    public static readonly MessageKey CardBody = new("handoff.card-body", "question", "received", "topic");
    public static readonly MessageKey TopicNone = new("handoff.topic-none");
    public static readonly MessageKey TopicProcedures = new("handoff.topic-procedures");
    public static readonly MessageKey TopicClasses = new("handoff.topic-classes");
    public static readonly MessageKey TopicOther = new("handoff.topic-other");
    public static readonly MessageKey CardTimedOut = new("handoff.card-timed-out");
    public static readonly MessageKey CardTimedOutCallback = new("handoff.card-timed-out-callback");
    public static readonly MessageKey CardCallbackDone = new("handoff.card-callback-done", "staff");
    public static readonly MessageKey CardClaim = new("handoff.card-claim");
    public static readonly MessageKey CardClaimed = new("handoff.card-claimed", "staff");
    public static readonly MessageKey CardWithdrawn = new("handoff.card-withdrawn");
    public static readonly MessageKey CardClosed = new("handoff.card-closed", "staff");
    public static readonly MessageKey CardTransferred = new("handoff.card-transferred", "conversation");
    public static readonly MessageKey ReceivedAt = new("handoff.received-at", "month", "day", "time");
    public static readonly MessageKey NotAllowed = new("handoff.not-allowed");
    public static readonly MessageKey NoPersonalChat = new("handoff.no-personal-chat");
    public static readonly MessageKey AlreadyClaimed = new("handoff.already-claimed", "staff");
    public static readonly MessageKey AlreadyClosed = new("handoff.already-closed");
    public static readonly MessageKey Briefing = new("handoff.briefing", "resident", "question");
    public static readonly MessageKey BriefingLater = new("handoff.briefing-later", "text");
    public static readonly MessageKey FromResident = new("handoff.from-resident", "resident", "text");
    public static readonly MessageKey ResidentClosed = new("handoff.resident-closed", "resident");
    public static readonly MessageKey StaffClosed = new("handoff.staff-closed", "resident");
    public static readonly MessageKey Open = new("handoff.open", "count");
    public static readonly MessageKey NoneOpen = new("handoff.none-open");
    public static readonly MessageKey Switched = new("handoff.switched", "resident");
    public static readonly MessageKey TransferPick = new("handoff.transfer-pick");
    public static readonly MessageKey TransferDone = new("handoff.transfer-done", "resident", "conversation");
    public static readonly MessageKey TransferUnknown = new("handoff.transfer-unknown", "names");

    // The office's queue: waiting requests, call backs, outcomes
    public static readonly MessageKey QueueTitle = new("handoff.queue-title", "count");
    public static readonly MessageKey QueueResident = new("handoff.queue-resident");
    public static readonly MessageKey QueueTopic = new("handoff.queue-topic");
    public static readonly MessageKey QueueWaited = new("handoff.queue-waited");
    public static readonly MessageKey QueueState = new("handoff.queue-state");
    public static readonly MessageKey QueueWaiting = new("handoff.queue-waiting");
    public static readonly MessageKey QueueOutOfHours = new("handoff.queue-out-of-hours");
    public static readonly MessageKey QueueTimedOut = new("handoff.queue-timed-out");
    public static readonly MessageKey QueueCallback = new("handoff.queue-callback", "phone");
    public static readonly MessageKey QueueOutcomes = new("handoff.queue-outcomes", "days", "answered", "callbacks", "withdrawn", "unanswered");
    public static readonly MessageKey QueueActions = new("handoff.queue-actions");
    public static readonly MessageKey QueueClaim = new("handoff.queue-claim", "resident");
    public static readonly MessageKey QueueCalled = new("handoff.queue-called", "resident");
    public static readonly MessageKey CallbackDone = new("handoff.callback-done", "resident");

    // The office's figures
    public static readonly MessageKey FiguresTitle = new("handoff.figures-title");
    public static readonly MessageKey FiguresMonth = new("handoff.figures-month");
    public static readonly MessageKey FiguresCount = new("handoff.figures-count");
    public static readonly MessageKey FiguresAnswered = new("handoff.figures-answered");
    public static readonly MessageKey FiguresClaimTime = new("handoff.figures-claim-time");
    public static readonly MessageKey FiguresRating = new("handoff.figures-rating");
    public static readonly MessageKey FiguresMonthValue = new("handoff.figures-month-value", "year", "month");
    public static readonly MessageKey FiguresPercent = new("handoff.figures-percent", "percent");
    public static readonly MessageKey FiguresMinutes = new("handoff.figures-minutes", "minutes");
    public static readonly MessageKey FiguresRatingValue = new("handoff.figures-rating-value", "mean", "count");
    public static readonly MessageKey FiguresNone = new("handoff.figures-none");
    public static readonly MessageKey FiguresNote = new("handoff.figures-note");
}

using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>What residents and staff read about the disaster mode (Content/messages.yaml, section <c>disaster</c>).</summary>
internal static class DisasterTexts
{
    // Residents: the notice's headings (its wording is Content/disaster.yaml)
    public static readonly MessageKey NoticeShelters = new("disaster.notice-shelters");
    public static readonly MessageKey NoticeShelter = new("disaster.notice-shelter", "shelter");
    public static readonly MessageKey NoticeLinks = new("disaster.notice-links");
    public static readonly MessageKey NoticeLink = new("disaster.notice-link", "label", "url");
    public static readonly MessageKey NoticePhone = new("disaster.notice-phone", "phone");
    public static readonly MessageKey NotOn = new("disaster.not-on");

    // Staff
    public static readonly MessageKey Help = new("disaster.help");
    public static readonly MessageKey RoleOnly = new("disaster.role-only");
    public static readonly MessageKey ReasonMissing = new("disaster.reason-missing");
    public static readonly MessageKey Started = new("disaster.started", "reason");
    public static readonly MessageKey AlreadyOn = new("disaster.already-on", "reason", "since");
    public static readonly MessageKey Ended = new("disaster.ended", "since");
    public static readonly MessageKey NotOnStaff = new("disaster.not-on-staff");
    public static readonly MessageKey StatusOn = new("disaster.status-on", "reason", "since");
    public static readonly MessageKey StartedNotice = new("disaster.started-notice", "reason", "via");
    public static readonly MessageKey EndedNotice = new("disaster.ended-notice", "via");
    public static readonly MessageKey ViaStaff = new("disaster.via-staff");
    public static readonly MessageKey ViaApi = new("disaster.via-api");
    public static readonly MessageKey MenuSwitched = new("disaster.menu-switched");
    public static readonly MessageKey MenuRestored = new("disaster.menu-restored");
    public static readonly MessageKey MenuNotSwitched = new("disaster.menu-not-switched", "problem");
    public static readonly MessageKey MenuRetrying = new("disaster.menu-retrying", "problem");
}

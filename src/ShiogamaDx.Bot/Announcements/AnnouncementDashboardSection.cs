using System.Globalization;
using ShiogamaDx.Bot.Kpis;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>On the KPI dashboard: announcements sent per month, and the recent ones with the blocks within 24 hours of each.</summary>
public sealed class AnnouncementDashboardSection(AnnouncementService announcements, MessageCatalog messages) : IDashboardSection
{
    public async Task<IReadOnlyList<DashboardTable>> TablesAsync(CancellationToken cancellationToken)
    {
        var m = messages.Current;
        var months = await announcements.MonthlyAsync(12, cancellationToken);
        var monthly = new DashboardTable("announcements-monthly", m[AnnouncementTexts.MonthlyTitle],
            [m[AnnouncementTexts.ColumnMonth], m[AnnouncementTexts.ColumnSent], m[AnnouncementTexts.ColumnRecipients], m[AnnouncementTexts.ColumnDelivered], m[AnnouncementTexts.ColumnFailed], m[AnnouncementTexts.ColumnUnfollows]],
            months.Select(x => (IReadOnlyList<string>)[m.Format(AnnouncementTexts.Month, x.Year, x.Month), N(x.Sent), N(x.Recipients), N(x.Delivered), N(x.Failed), N(x.UnfollowsAfter)]).ToList(),
            m[AnnouncementTexts.MonthlyNote]);
        var recent = (await announcements.RecentAsync(50, cancellationToken)).Where(a => a.SentAt is not null).Take(20).ToList();
        var each = new DashboardTable("announcements-recent", m[AnnouncementTexts.ResultsTitle],
            [m[AnnouncementTexts.ColumnId], m[AnnouncementTexts.ColumnSentAt], m[AnnouncementTexts.ColumnTopic], m[AnnouncementTexts.ColumnRecipients], m[AnnouncementTexts.ColumnDelivered], m[AnnouncementTexts.ColumnFailed], m[AnnouncementTexts.ColumnUnfollows]],
            recent.Select(a => (IReadOnlyList<string>)
            [
                N(a.Id), a.SentAt!.Value.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                announcements.TopicName(a.TopicId) + (a.ClassId is { } c ? " " + c : string.Empty) + (a.Emergency ? m[AnnouncementTexts.EmergencyMark] : string.Empty),
                N(a.Recipients), N(a.Delivered), N(a.Failed), N(a.UnfollowsAfter),
            ]).ToList(),
            m[AnnouncementTexts.ResultsNote]);
        return [monthly, each];
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>
/// お知らせ in the staff chat: 「お知らせを作る」 with its fields in one message (話題, 本文, リンク, 画像, 日時), the preview
/// and the approvers asked; 「お知らせを承認 N」 / 「お知らせを差し戻す N 理由」 (or the buttons); 「緊急のお知らせ」 by
/// one person with the emergency role; 「お知らせの結果」.
/// </summary>
public sealed partial class StaffAnnouncementHandler(AnnouncementService announcements, AnnouncementLanguages languages, TopicCatalog topics, MessageCatalog messages, TimeProvider clock) : IIntentHandler
{
    public const string HandlerName = "staff-announcements";

    /// <summary>The field names staff type, each before a colon, and what they fill.</summary>
    private static readonly Dictionary<string, string> FieldWords = new(StringComparer.Ordinal)
    {
        ["話題"] = "topic", ["トピック"] = "topic", ["本文"] = "text", ["内容"] = "text", ["リンク"] = "link", ["URL"] = "link",
        ["画像"] = "image", ["日時"] = "when", ["送信日時"] = "when", ["配信日時"] = "when", ["教室"] = "class", ["スマホ教室"] = "class",
    };

    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    /// <summary>A translation's field: 「lang:」 and the language's code.</summary>
    private const string LanguageField = "lang:";

    public string Name => HandlerName;

    public Audience Audience => Audience.Staff;

    public double Match(Turn turn)
    {
        var t = turn.Normalized;
        if (!t.Contains("お知らせ", StringComparison.Ordinal) && !t.Contains("おしらせ", StringComparison.Ordinal))
        {
            return 0.0;
        }

        return IsCompose(t) || IsEmergency(t) || IsApprove(t) || IsReturn(t) || IsResults(t) || IsMonthly(t) ? 0.95 : ConversationEngine.KeywordMention(turn);
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var m = messages.Current;
        var userKey = turn.Message.UserKey;
        if (turn.Postback is { } postback)
        {
            var id = long.TryParse(postback["n"], CultureInfo.InvariantCulture, out var n) ? n : 0;
            return postback.Action switch
            {
                "approve" => await ApproveAsync(id, userKey, cancellationToken),
                "return" => await ReturnAsync(id, userKey, null, cancellationToken),
                _ => TurnResult.Of(new TextReply(m[AnnouncementTexts.Help])),
            };
        }

        var t = turn.Normalized;
        // The whole message, not the engine's clipped reading: an announcement may be longer, and is checked, never cut.
        var whole = turn.Message.Text ?? turn.Text;
        var typed = whole.Normalize(NormalizationForm.FormKC);
        var firstLine = typed.Split('\n', 2)[0];
        if (IsEmergency(t))
        {
            return await EmergencyAsync(whole, userKey, cancellationToken);
        }

        if (IsCompose(t))
        {
            return await ComposeAsync(whole, userKey, cancellationToken);
        }

        if (IsReturn(t))
        {
            var match = IdAndRest().Match(typed);
            return match.Success
                ? await ReturnAsync(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), userKey, match.Groups[2].Value, cancellationToken)
                : await PendingAsync(userKey, cancellationToken);
        }

        if (IsApprove(t))
        {
            var match = IdAndRest().Match(firstLine);
            return match.Success
                ? await ApproveAsync(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), userKey, cancellationToken)
                : await PendingAsync(userKey, cancellationToken);
        }

        if (IsMonthly(t))
        {
            return await MonthlyAsync(cancellationToken);
        }

        if (IsResults(t))
        {
            return await ResultsAsync(cancellationToken);
        }

        return TurnResult.Of(new TextReply(m[AnnouncementTexts.Help]));
    }

    private static bool IsCompose(string t) => t.Contains('作', StringComparison.Ordinal) || t.Contains("つくる", StringComparison.Ordinal) || t.Contains('書', StringComparison.Ordinal);

    private static bool IsEmergency(string t) => t.Contains("緊急", StringComparison.Ordinal) || t.Contains("きんきゅう", StringComparison.Ordinal);

    private static bool IsApprove(string t) => t.Contains("承認", StringComparison.Ordinal) || t.Contains("しょうにん", StringComparison.Ordinal);

    private static bool IsReturn(string t) => t.Contains("差し戻", StringComparison.Ordinal) || t.Contains("差戻", StringComparison.Ordinal) || t.Contains("さしもど", StringComparison.Ordinal);

    private static bool IsMonthly(string t) => t.Contains("月別", StringComparison.Ordinal) || t.Contains("月ごと", StringComparison.Ordinal) || t.Contains("毎月", StringComparison.Ordinal)
                                               || t.Contains("配信数", StringComparison.Ordinal) || t.Contains("件数", StringComparison.Ordinal)
                                               || t.Contains("何件", StringComparison.Ordinal) || t.Contains("何通", StringComparison.Ordinal)
                                               || t.Contains("ぶろっく", StringComparison.Ordinal); // ブロック (the reading is in hiragana): the table counts the unfollows after each

    private static bool IsResults(string t) => t.Contains("結果", StringComparison.Ordinal) || t.Contains("実績", StringComparison.Ordinal) || t.Contains("履歴", StringComparison.Ordinal);

    private async Task<TurnResult> ComposeAsync(string text, string userKey, CancellationToken ct)
    {
        var m = messages.Current;
        if (!announcements.IsAuthor(userKey))
        {
            return TurnResult.Of(new TextReply(m[AnnouncementTexts.AuthorsOnly]));
        }

        var fields = Fields(text, languages.FieldWords());
        if (fields.Count == 0)
        {
            return TurnResult.Of(new TextReply(m.Format(AnnouncementTexts.ComposeHelp, string.Join(messages.Current[AnnouncementTexts.ListSeparator], topics.All.Select(x => x.Name)), AnnouncementService.MaxTextMessage)));
        }

        TryDraft(fields, out var draft, out var problems);
        var (more, topic) = await announcements.CheckAsync(draft, ct);
        problems.AddRange(more);
        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        if (!announcements.IsAuthor(userKey, topic!.Id))
        {
            return TurnResult.Of(new TextReply(m.Format(AnnouncementTexts.AuthorsOfTopicOnly, topic.Name)));
        }

        var a = await announcements.CreateAsync(userKey, topic, draft, ct);
        var audience = await announcements.AudienceAsync(a, ct);
        var header = m.Format(AnnouncementTexts.PreviewHeader, a.Id, topic.Name, audience.UserKeys.Count, announcements.When(a))
                     + (a.ClassId is { } classId ? "\n" + m.Format(AnnouncementTexts.PreviewClass, classId) : string.Empty)
                     + (audience.Everyone ? "\n" + m[AnnouncementTexts.PreviewEveryone] : string.Empty)
                     + (audience.Everyone && await announcements.FriendsAsync(ct) is { } friends ? "\n" + m.Format(AnnouncementTexts.PreviewFriends, friends) : string.Empty);
        return new TurnResult([
            new TextReply(header + await UntranslatedAsync(a, audience.UserKeys, ct)),
            .. await announcements.AllRepliesAsync(a, ct),
            new TextReply(m.Format(AnnouncementTexts.AskedApprovers, a.Id)),
        ]);
    }

    private async Task<TurnResult> EmergencyAsync(string text, string userKey, CancellationToken ct)
    {
        var m = messages.Current;
        if (!announcements.MayEmergency(userKey))
        {
            return TurnResult.Of(new TextReply(m[AnnouncementTexts.EmergencyOnly]));
        }

        var fields = Fields(text, languages.FieldWords());
        if (fields.Count == 0)
        {
            return TurnResult.Of(new TextReply(m.Format(AnnouncementTexts.EmergencyHelp, string.Join(messages.Current[AnnouncementTexts.ListSeparator], topics.All.Where(x => x.Emergency).Select(x => x.Name)))));
        }

        fields.Remove("when"); // an emergency goes now
        fields.Remove("class"); // and to a topic's subscribers
        TryDraft(fields, out var draft, out var problems);
        problems.AddRange(announcements.Check(draft, out var topic));
        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        if (!topic!.Emergency)
        {
            return Refused([m.Format(AnnouncementTexts.NotEmergencyTopic, topic.Name, string.Join(messages.Current[AnnouncementTexts.ListSeparator], topics.All.Where(x => x.Emergency).Select(x => x.Name)))]);
        }

        var a = await announcements.SendEmergencyAsync(userKey, topic, draft, ct);
        return new TurnResult([new TextReply(m.Format(AnnouncementTexts.EmergencySent, a.Id, topic.Name, a.Recipients)), .. await announcements.RepliesAsync(a, ct)]);
    }

    private TurnResult Refused(IEnumerable<string> problems)
    {
        var m = messages.Current;
        var lines = new StringBuilder(m[AnnouncementTexts.NotKept]);
        foreach (var p in problems.Distinct())
        {
            lines.Append('\n').Append(m.Format(AnnouncementTexts.Problem, p));
        }

        return TurnResult.Of(new TextReply(lines.ToString()));
    }

    private async Task<TurnResult> ApproveAsync(long id, string userKey, CancellationToken ct)
    {
        var m = messages.Current;
        var (result, a) = await announcements.ApproveAsync(id, userKey, ct);
        return TurnResult.Of(new TextReply(result switch
        {
            ApprovalResult.Approved when a!.Status == AnnouncementStatus.Approved => m.Format(AnnouncementTexts.ApprovedScheduled, id, announcements.When(a)),
            ApprovalResult.Approved => m.Format(AnnouncementTexts.ApprovedSent, id, a!.Recipients),
            ApprovalResult.OwnAnnouncement => m[AnnouncementTexts.OwnAnnouncement],
            ApprovalResult.NotApprover => m[AnnouncementTexts.ApproversOnly],
            ApprovalResult.NotPending => m.Format(AnnouncementTexts.NotPending, id),
            ApprovalResult.OverQuota => m.Format(AnnouncementTexts.OverQuota, id),
            _ => m.Format(AnnouncementTexts.NotFound, id),
        }));
    }

    private async Task<TurnResult> ReturnAsync(long id, string userKey, string? reason, CancellationToken ct)
    {
        var m = messages.Current;
        var (result, _) = await announcements.ReturnAsync(id, userKey, reason, ct);
        return TurnResult.Of(new TextReply(result switch
        {
            ApprovalResult.Approved => m.Format(AnnouncementTexts.Returned, id),
            ApprovalResult.NotApprover => m[AnnouncementTexts.ApproversOnly],
            ApprovalResult.NotPending => m.Format(AnnouncementTexts.NotPending, id),
            _ => m.Format(AnnouncementTexts.NotFound, id),
        }));
    }

    private async Task<TurnResult> PendingAsync(string userKey, CancellationToken ct)
    {
        var m = messages.Current;
        var pending = await announcements.PendingAsync(ct);
        if (pending.Count == 0)
        {
            return TurnResult.Of(new TextReply(m[AnnouncementTexts.NonePending]));
        }

        var replies = new List<Reply>();
        foreach (var a in pending.Take(3))
        {
            replies.Add(new TextReply(m.Format(AnnouncementTexts.ReviewRequest, a.Id, announcements.TopicName(a.TopicId), announcements.When(a))));
            replies.AddRange((await announcements.RepliesAsync(a, ct)).OfType<TextReply>());
        }

        replies.Add(announcements.DecisionChoices(pending[0].Id));
        return new TurnResult(replies);
    }

    private async Task<TurnResult> ResultsAsync(CancellationToken ct)
    {
        var m = messages.Current;
        var recent = await announcements.RecentAsync(10, ct);
        if (recent.Count == 0)
        {
            return TurnResult.Of(new TextReply(m[AnnouncementTexts.NoneYet]));
        }

        var rows = recent.Select(a => (IReadOnlyList<string>)
        [
            a.Id.ToString(CultureInfo.InvariantCulture),
            announcements.TopicName(a.TopicId) + (a.Emergency ? m[AnnouncementTexts.EmergencyMark] : string.Empty),
            m[AnnouncementTexts.Status(a.Status)],
            a.Recipients.ToString(CultureInfo.InvariantCulture),
            a.Delivered.ToString(CultureInfo.InvariantCulture),
            a.Failed.ToString(CultureInfo.InvariantCulture),
            a.UnfollowsAfter.ToString(CultureInfo.InvariantCulture),
        ]).ToList();
        return TurnResult.Of(new TableReply(m[AnnouncementTexts.ResultsTitle],
            [m[AnnouncementTexts.ColumnId], m[AnnouncementTexts.ColumnTopic], m[AnnouncementTexts.ColumnStatus], m[AnnouncementTexts.ColumnRecipients],
             m[AnnouncementTexts.ColumnDelivered], m[AnnouncementTexts.ColumnFailed], m[AnnouncementTexts.ColumnUnfollows]], rows, m[AnnouncementTexts.ResultsNote]));
    }

    /// <summary>The last twelve months: announcements sent, to how many, and the blocks within 24 hours of each.</summary>
    private async Task<TurnResult> MonthlyAsync(CancellationToken ct)
    {
        var m = messages.Current;
        var months = await announcements.MonthlyAsync(12, ct);
        var rows = months.Select(x => (IReadOnlyList<string>)
        [
            m.Format(AnnouncementTexts.Month, x.Year, x.Month),
            x.Sent.ToString(CultureInfo.InvariantCulture),
            x.Recipients.ToString(CultureInfo.InvariantCulture),
            x.Delivered.ToString(CultureInfo.InvariantCulture),
            x.UnfollowsAfter.ToString(CultureInfo.InvariantCulture),
        ]).ToList();
        return TurnResult.Of(new TableReply(m[AnnouncementTexts.MonthlyTitle],
            [m[AnnouncementTexts.ColumnMonth], m[AnnouncementTexts.ColumnSent], m[AnnouncementTexts.ColumnRecipients], m[AnnouncementTexts.ColumnDelivered], m[AnnouncementTexts.ColumnUnfollows]],
            rows, m[AnnouncementTexts.MonthlyNote]));
    }

    /// <summary>The preview's line on recipients who keep a foreign language the office did not translate it into; empty when none.</summary>
    private async Task<string> UntranslatedAsync(Announcement a, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        var translated = await languages.TranslationsAsync(a.Id, ct);
        var lacking = (await languages.KeptAsync(recipients, ct)).Values.Where(l => l != Localization.LanguagePack.Easy && !translated.ContainsKey(l)).ToList();
        return lacking.Count == 0 ? string.Empty
            : "\n" + messages.Current.Format(AnnouncementTexts.PreviewUntranslated, lacking.Count,
                string.Join(messages.Current[AnnouncementTexts.ListSeparator], lacking.Distinct().Order(StringComparer.Ordinal).Select(languages.NameOf)));
    }

    /// <summary>
    /// 「話題: 防災」 lines; lines without a field name continue the field before (the text runs over lines). A language's
    /// word (<paramref name="languageWords"/>: 「英語」, 「English」 …) starts that language's text, kept as 「lang:en」.
    /// </summary>
    internal static Dictionary<string, string> Fields(string text, IReadOnlyDictionary<string, string>? languageWords = null)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var raw in text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').Skip(1))
        {
            var line = raw.TrimEnd();
            var colon = line.IndexOfAny([':', '：']);
            if (colon > 0 && (FieldWords.TryGetValue(line[..colon].Trim(), out var field)
                              || (languageWords?.TryGetValue(line[..colon].Trim(), out var code) == true && (field = LanguageField + code) is not null)))
            {
                current = field;
                fields[field] = line[(colon + 1)..].Trim();
            }
            else if (current is not null)
            {
                fields[current] = fields[current] + "\n" + line;
            }
        }

        return fields.ToDictionary(kv => kv.Key, kv => kv.Value.Trim(), StringComparer.Ordinal);
    }

    private void TryDraft(Dictionary<string, string> fields, out AnnouncementDraft draft, out List<string> problems)
    {
        problems = [];
        DateTimeOffset? sendAt = null;
        if (fields.TryGetValue("when", out var when) && when.Length > 0 && !NowWords.Contains(when))
        {
            sendAt = ParseTime(when, clock.GetUtcNow());
            if (sendAt is null)
            {
                problems.Add(messages.Current[AnnouncementTexts.WhenUnreadable]);
            }
        }

        var translations = fields.Where(f => f.Key.StartsWith(LanguageField, StringComparison.Ordinal)).ToDictionary(f => f.Key[LanguageField.Length..], f => f.Value, StringComparer.Ordinal);
        draft = new AnnouncementDraft(fields.GetValueOrDefault("topic"), fields.GetValueOrDefault("text"), fields.GetValueOrDefault("link"), fields.GetValueOrDefault("image"), sendAt, fields.GetValueOrDefault("class"),
            translations.Count == 0 ? null : translations);
    }

    private static readonly HashSet<string> NowWords = ["すぐ", "今すぐ", "いますぐ", "承認後すぐ", "now"];

    /// <summary>Japan time: 2026-12-05 09:00, 2026/12/5 9:00 or 12/5 9:00 (the next such day).</summary>
    internal static DateTimeOffset? ParseTime(string text, DateTimeOffset now)
    {
        var s = text.Normalize(NormalizationForm.FormKC).Trim();
        string[] full = ["yyyy-MM-dd HH:mm", "yyyy-M-d H:mm", "yyyy/MM/dd HH:mm", "yyyy/M/d H:mm"];
        if (DateTime.TryParseExact(s, full, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return new DateTimeOffset(at, Japan).ToUniversalTime();
        }

        if (DateTime.TryParseExact(s, ["M/d H:mm", "MM/dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var noYear))
        {
            var local = now.ToOffset(Japan);
            var candidate = new DateTimeOffset(local.Year, noYear.Month, noYear.Day, noYear.Hour, noYear.Minute, 0, Japan);
            return (candidate < local ? candidate.AddYears(1) : candidate).ToUniversalTime();
        }

        return null;
    }

    [GeneratedRegex(@"([0-9]+)\s*(.*)", RegexOptions.Singleline)]
    private static partial Regex IdAndRest();
}

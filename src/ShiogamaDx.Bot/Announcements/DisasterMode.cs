using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>One disaster mode, from its start to its end: the state (the row without an end is the mode now) and its audit.</summary>
public sealed class DisasterPeriod
{
    public long Id { get; set; }

    public required string Reason { get; set; }

    /// <summary>Pseudonymous staff key of who switched it on.</summary>
    public required string StartedBy { get; set; }

    /// <summary><see cref="DisasterModeService.ViaStaffChat"/> or <see cref="DisasterModeService.ViaApi"/>.</summary>
    public required string StartedVia { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public string? EndedBy { get; set; }

    public string? EndedVia { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>1 while on, null once ended: a unique index on it lets only one mode be on, on any database.</summary>
    public int? Open { get; set; }

    /// <summary>Everyone's rich menu is the disaster menu (false again once the normal one is back).</summary>
    public bool DisasterMenuShown { get; set; }

    /// <summary>The switch failed in a way that passes (an outage): the job tries again.</summary>
    public bool MenuRetry { get; set; }

    /// <summary>The channel's menu before the switch: put back when no normal menu is registered.</summary>
    public string? PreviousMenu { get; set; }

    public string? MenuProblem { get; set; }
}

/// <summary>Which disaster notice (mode and wording) a resident has read: shown once each, before their next answer.</summary>
public sealed class DisasterNoticeReceipt
{
    public required string UserKey { get; set; }

    public long PeriodId { get; set; }

    public required string NoticeVersion { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class DisasterPeriodConfiguration : IEntityTypeConfiguration<DisasterPeriod>
{
    public void Configure(EntityTypeBuilder<DisasterPeriod> b)
    {
        b.ToTable("DisasterPeriods");
        b.Property(x => x.Reason).HasMaxLength(500);
        b.Property(x => x.StartedBy).HasMaxLength(100);
        b.Property(x => x.StartedVia).HasMaxLength(20);
        b.Property(x => x.EndedBy).HasMaxLength(100);
        b.Property(x => x.EndedVia).HasMaxLength(20);
        b.Property(x => x.PreviousMenu).HasMaxLength(100);
        b.Property(x => x.MenuProblem).HasMaxLength(500);
        b.HasIndex(x => x.Open).IsUnique();
    }
}

internal sealed class DisasterNoticeReceiptConfiguration : IEntityTypeConfiguration<DisasterNoticeReceipt>
{
    public void Configure(EntityTypeBuilder<DisasterNoticeReceipt> b)
    {
        b.ToTable("DisasterNoticeReceipts");
        b.HasKey(x => x.UserKey);
        b.Property(x => x.UserKey).HasMaxLength(100);
        b.Property(x => x.NoticeVersion).HasMaxLength(40);
    }
}

public enum DisasterSwitch
{
    Switched,
    AlreadyOn,
    NotOn,
    NotAllowed,
    ReasonMissing,
}

/// <summary>
/// The disaster mode: kept in the database (it survives a restart and holds on every replica), switched by staff with the
/// role, announced to the other staff with a role, and the residents' channel menu switched for everyone at once.
/// </summary>
public sealed class DisasterModeService(
    BotDbContext db,
    OpenDisasterPeriod openPeriod,
    Outbox outbox,
    IEnumerable<IChannelMenu> menus,
    PrivacyKeys keys,
    IOptions<AnnouncementsOptions> options,
    MessageCatalog messages,
    TimeProvider clock,
    ILogger<DisasterModeService> logger)
{
    public const string ViaStaffChat = "staff-chat";
    public const string ViaApi = "api";

    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    /// <summary>The mode now; null when off. Static: the class reminders ask with their own context.</summary>
    public static Task<DisasterPeriod?> CurrentAsync(BotDbContext db, CancellationToken ct) =>
        db.Set<DisasterPeriod>().AsNoTracking().Where(p => p.Open == 1).FirstOrDefaultAsync(ct);

    public Task<DisasterPeriod?> CurrentAsync(CancellationToken ct) => CurrentAsync(db, ct);

    public string StaffKey(string rawId) => keys.Pseudonymize(AnnouncementService.StaffChannel, rawId);

    public bool MaySwitch(string staffKey) => Options.Disaster.Concat(Options.Emergency).Any(id => StaffKey(id.Trim()) == staffKey);

    private AnnouncementsOptions Options => options.Value;

    /// <returns>What happened, the mode, and what the menu switch came to (for the one who switched).</returns>
    public async Task<(DisasterSwitch Result, DisasterPeriod? Period, string? Menu)> StartAsync(string staffKey, string via, string? reason, CancellationToken ct)
    {
        if (!MaySwitch(staffKey))
        {
            return (DisasterSwitch.NotAllowed, null, null);
        }

        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return (DisasterSwitch.ReasonMissing, null, null);
        }

        if (await CurrentAsync(ct) is { } current)
        {
            // Asked again: the menu is tried again when it did not switch.
            return (DisasterSwitch.AlreadyOn, current, current.DisasterMenuShown ? null : await ShowDisasterMenuAsync(current.Id, ct));
        }

        var period = new DisasterPeriod
        {
            Reason = reason[..Math.Min(reason.Length, 500)],
            StartedBy = staffKey,
            StartedVia = via,
            StartedAt = clock.GetUtcNow(),
            Open = 1,
        };
        db.Add(period);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another start at the same moment won (the unique index on Open).
            db.ChangeTracker.Clear();
            return (DisasterSwitch.AlreadyOn, await CurrentAsync(ct), null);
        }

        openPeriod.Forget();
        logger.LogWarning("Disaster mode {Id} started (via {Via})", period.Id, via);
        await AnnounceAsync(period.Id, "start", staffKey, messages.Current.Format(DisasterTexts.StartedNotice, period.Reason, Via(via)), ct);
        var menu = await ShowDisasterMenuAsync(period.Id, ct);
        return (DisasterSwitch.Switched, await CurrentAsync(ct), menu);
    }

    public async Task<(DisasterSwitch Result, DisasterPeriod? Period, string? Menu)> EndAsync(string staffKey, string via, CancellationToken ct)
    {
        if (!MaySwitch(staffKey))
        {
            return (DisasterSwitch.NotAllowed, null, null);
        }

        if (await CurrentAsync(ct) is not { } current)
        {
            return (DisasterSwitch.NotOn, null, null);
        }

        var won = await db.Set<DisasterPeriod>().Where(p => p.Id == current.Id && p.Open == 1).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Open, (int?)null)
            .SetProperty(p => p.EndedAt, clock.GetUtcNow())
            .SetProperty(p => p.EndedBy, staffKey)
            .SetProperty(p => p.EndedVia, via)
            .SetProperty(p => p.MenuRetry, false), ct);
        if (won == 0)
        {
            return (DisasterSwitch.NotOn, null, null);
        }

        openPeriod.Forget();

        // Who read which notice matters no more once the mode is over.
        await db.Set<DisasterNoticeReceipt>().ExecuteDeleteAsync(ct);
        logger.LogWarning("Disaster mode {Id} ended (via {Via})", current.Id, via);
        await AnnounceAsync(current.Id, "end", staffKey, messages.Current.Format(DisasterTexts.EndedNotice, Via(via)), ct);
        var menu = current.DisasterMenuShown || current.MenuRetry ? await ShowNormalMenuAsync(current.Id, ct) : null;
        return (DisasterSwitch.Switched, await db.Set<DisasterPeriod>().AsNoTracking().SingleAsync(p => p.Id == current.Id, ct), menu);
    }

    /// <summary>The job's part: a menu switch that failed in passing is tried again, on or off.</summary>
    public async Task<int> RetryMenusAsync(CancellationToken ct)
    {
        var pending = await db.Set<DisasterPeriod>().AsNoTracking().Where(p => p.MenuRetry).ToListAsync(ct);
        foreach (var p in pending)
        {
            _ = p.Open == 1 ? await ShowDisasterMenuAsync(p.Id, ct) : await ShowNormalMenuAsync(p.Id, ct);
        }

        return pending.Count;
    }

    private async Task<string?> ShowDisasterMenuAsync(long id, CancellationToken ct)
    {
        var m = messages.Current;
        string? said = null;
        foreach (var menu in menus)
        {
            var result = await menu.ShowDisasterMenuAsync(ct);
            await db.Set<DisasterPeriod>().Where(p => p.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.DisasterMenuShown, result.Outcome == MenuSwitchOutcome.Switched)
                .SetProperty(p => p.MenuRetry, result.Outcome == MenuSwitchOutcome.Failed)
                .SetProperty(p => p.PreviousMenu, p => result.PreviousMenu ?? p.PreviousMenu)
                .SetProperty(p => p.MenuProblem, result.Problem), ct);
            said = Said(result, m[DisasterTexts.MenuSwitched]);
        }

        return said;
    }

    private async Task<string?> ShowNormalMenuAsync(long id, CancellationToken ct)
    {
        var m = messages.Current;
        var previous = await db.Set<DisasterPeriod>().Where(p => p.Id == id).Select(p => p.PreviousMenu).SingleAsync(ct);
        string? said = null;
        foreach (var menu in menus)
        {
            var result = await menu.ShowNormalMenuAsync(previous, ct);
            await db.Set<DisasterPeriod>().Where(p => p.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.DisasterMenuShown, result.Outcome != MenuSwitchOutcome.Switched)
                .SetProperty(p => p.MenuRetry, result.Outcome == MenuSwitchOutcome.Failed)
                .SetProperty(p => p.MenuProblem, result.Problem), ct);
            said = Said(result, m[DisasterTexts.MenuRestored]);
        }

        return said;
    }

    private string Said(MenuSwitchResult result, string done) => result.Outcome switch
    {
        MenuSwitchOutcome.Switched => done,
        MenuSwitchOutcome.Failed => messages.Current.Format(DisasterTexts.MenuRetrying, result.Problem),
        _ => messages.Current.Format(DisasterTexts.MenuNotSwitched, result.Problem),
    };

    /// <summary>Everyone with an announcements or disaster role hears of the switch in the staff chat, but the one who switched.</summary>
    private async Task AnnounceAsync(long id, string what, string actorKey, string text, CancellationToken ct)
    {
        var staff = Options.Authors.Concat(Options.Approvers).Concat(Options.Emergency).Concat(Options.Disaster)
            .Select(x => StaffKey(x.Trim())).Distinct(StringComparer.Ordinal).Where(k => k != actorKey);
        foreach (var key in staff)
        {
            await outbox.AddAsync(AnnouncementService.StaffChannel, key, [new TextReply(text)], string.Create(CultureInfo.InvariantCulture, $"disaster:{id}:{what}:{key}"), ct);
        }

        await db.SaveChangesAsync(ct);
    }

    private string Via(string via) => messages.Current[via == ViaApi ? DisasterTexts.ViaApi : DisasterTexts.ViaStaff];

    public static string When(DateTimeOffset at) => at.ToOffset(Japan).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// 「災害モードを開始 理由」 / 「災害モードを終了」 / 「災害モード」 in the staff chat, for staff with the disaster or emergency role.
/// </summary>
public sealed class DisasterModeHandler(DisasterModeService mode, MessageCatalog messages) : IIntentHandler
{
    public string Name => "disaster-mode";

    // Compared with the normalised text, where katakana reads as hiragana without long vowels (災害もど).
    private static readonly string[] ModeWords = [.. new[] { "災害モード" }.Select(TextNormalizer.Normalize)];
    private static readonly string[] StartWords = [.. new[] { "開始", "始め", "オン" }.Select(TextNormalizer.Normalize)];
    private static readonly string[] EndWords = [.. new[] { "終了", "終わ", "解除", "オフ" }.Select(TextNormalizer.Normalize)];

    public Audience Audience => Audience.Staff;

    public double Match(Turn turn) => ModeWords.Any(w => turn.Normalized.Contains(w, StringComparison.Ordinal)) ? 0.95 : 0.0;

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var m = messages.Current;
        var t = turn.Normalized;
        var userKey = turn.Message.UserKey;
        var starting = StartWords.Any(w => t.Contains(w, StringComparison.Ordinal));
        var ending = EndWords.Any(w => t.Contains(w, StringComparison.Ordinal));
        if (starting && !ending)
        {
            var (result, period, menu) = await mode.StartAsync(userKey, DisasterModeService.ViaStaffChat, Reason(turn.Message.Text ?? turn.Text), cancellationToken);
            return Say(result switch
            {
                DisasterSwitch.NotAllowed => m[DisasterTexts.RoleOnly],
                DisasterSwitch.ReasonMissing => m[DisasterTexts.ReasonMissing],
                DisasterSwitch.AlreadyOn => m.Format(DisasterTexts.AlreadyOn, period!.Reason, DisasterModeService.When(period.StartedAt)),
                _ => m.Format(DisasterTexts.Started, period!.Reason),
            }, menu);
        }

        if (ending)
        {
            var (result, period, menu) = await mode.EndAsync(userKey, DisasterModeService.ViaStaffChat, cancellationToken);
            return Say(result switch
            {
                DisasterSwitch.NotAllowed => m[DisasterTexts.RoleOnly],
                DisasterSwitch.NotOn => m[DisasterTexts.NotOnStaff],
                _ => m.Format(DisasterTexts.Ended, DisasterModeService.When(period!.StartedAt)),
            }, menu);
        }

        var current = await mode.CurrentAsync(cancellationToken);
        return Say(current is null ? m[DisasterTexts.NotOnStaff] + "\n" + m[DisasterTexts.Help] : m.Format(DisasterTexts.StatusOn, current.Reason, DisasterModeService.When(current.StartedAt)), null);
    }

    private static TurnResult Say(string text, string? menu) => TurnResult.Of(new TextReply(menu is null ? text : text + "\n" + menu));

    /// <summary>What follows 「災害モードを開始」 on its line or the next ones (「理由:」 may be written or not).</summary>
    internal static string? Reason(string text)
    {
        var s = text.Trim();
        var at = s.IndexOf("開始", StringComparison.Ordinal);
        var rest = at < 0 ? string.Empty : s[(at + 2)..];
        rest = rest.TrimStart(' ', '　', '\n', '\r', ':', '：', '。', '、');
        if (rest.StartsWith("理由", StringComparison.Ordinal))
        {
            rest = rest[2..].TrimStart(' ', '　', ':', '：', 'は');
        }

        return rest.Trim().Length == 0 ? null : rest.Trim();
    }
}

/// <summary>
/// While the mode is on, a resident's next answer begins with the disaster notice; once per mode and wording, so that a
/// resident asking several things reads their answers, and reads the notice again when the office changes it.
/// </summary>
public sealed class DisasterNoticeDiversion(BotDbContext db, OpenDisasterPeriod openPeriod, DisasterNoticeFile notice, MessageCatalog messages, TimeProvider clock) : ITurnDiversion
{
    public Task<IReadOnlyList<Reply>?> DivertAsync(Turn turn, CancellationToken ct) => Task.FromResult<IReadOnlyList<Reply>?>(null);

    public async Task<IReadOnlyList<Reply>> AfterAsync(Turn turn, IReadOnlyList<Reply> replies, bool understood, CancellationToken ct)
    {
        if (turn.Message.Audience != Audience.Resident || await openPeriod.GetAsync(db, ct) is not { } period)
        {
            return replies;
        }

        var m = messages.Current;
        var text = notice.Current.Render(m);
        var version = notice.Current.Version(m);
        var userKey = turn.Message.UserKey;
        var receipt = await db.Set<DisasterNoticeReceipt>().SingleOrDefaultAsync(r => r.UserKey == userKey, ct)
                      ?? db.Set<DisasterNoticeReceipt>().Local.FirstOrDefault(r => r.UserKey == userKey);
        if (receipt is not null && receipt.PeriodId == period.Id && receipt.NoticeVersion == version)
        {
            return replies;
        }

        if (receipt is null)
        {
            db.Add(new DisasterNoticeReceipt { UserKey = userKey, PeriodId = period.Id, NoticeVersion = version, At = clock.GetUtcNow() });
        }
        else
        {
            (receipt.PeriodId, receipt.NoticeVersion, receipt.At) = (period.Id, version, clock.GetUtcNow());
        }

        // Saved with the answer by the engine's caller: the notice counts as read only once the answer is on its way.
        return replies.OfType<TextReply>().Any(r => r.Text == text) ? replies : [new TextReply(text), .. replies];
    }
}

/// <summary>
/// 「災害情報」「避難所」 (the disaster menu's button, or typed): the notice while the mode is on; otherwise the links
/// and the phone number, with a word that there is no disaster now.
/// </summary>
public sealed class DisasterInfoHandler(BotDbContext db, DisasterNoticeFile notice, MessageCatalog messages) : IIntentHandler
{
    public string Name => "disaster-info";

    public Audience Audience => Audience.Resident;

    public double Match(Turn turn)
    {
        var t = turn.Normalized;
        return t.Contains("災害情報", StringComparison.Ordinal) || t.Contains("避難所", StringComparison.Ordinal) || t.Contains("ひなんじょ", StringComparison.Ordinal)
               || t.Contains("防災情報", StringComparison.Ordinal)
            ? 0.85
            : 0.0;
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var m = messages.Current;
        return await DisasterModeService.CurrentAsync(db, cancellationToken) is null
            ? TurnResult.Of(new TextReply(m[DisasterTexts.NotOn] + "\n\n" + notice.Current.Standing(m)))
            : TurnResult.Of(new TextReply(notice.Current.Render(m)));
    }
}

/// <summary>On unfollow: which notice the resident read goes too.</summary>
public sealed class DisasterDataEraser(BotDbContext db) : IPersonalDataEraser
{
    public Task EraseAsync(string userKey, CancellationToken cancellationToken) =>
        db.Set<DisasterNoticeReceipt>().Where(r => r.UserKey == userKey).ExecuteDeleteAsync(cancellationToken);
}

/// <summary>
/// The open disaster period as every resident's turn asks for it: read from the database at most once a second in
/// a process, because the answer is almost always "none" and the read was one of a turn's dozen statements. A switch
/// made in this process is seen at once; one made on another replica within a second.
/// </summary>
public sealed class OpenDisasterPeriod(TimeProvider clock)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
    private readonly Lock gate = new();
    private (DisasterPeriod? Period, DateTimeOffset ReadAt, long Version)? last;
    private long version;

    public async Task<DisasterPeriod?> GetAsync(BotDbContext db, CancellationToken ct)
    {
        long readVersion;
        lock (gate)
        {
            if (last is { } known && known.Version == version && clock.GetUtcNow() - known.ReadAt < Fresh)
            {
                return known.Period;
            }

            readVersion = version;
        }

        var readAt = clock.GetUtcNow();
        var period = await DisasterModeService.CurrentAsync(db, ct);
        lock (gate)
        {
            if (readVersion == version)
            {
                last = (period, readAt, readVersion); // a switch while reading leaves nothing stale behind
            }
        }

        return period;
    }

    /// <summary>After a switch: the next turn reads again.</summary>
    public void Forget()
    {
        lock (gate)
        {
            version++;
            last = null;
        }
    }
}

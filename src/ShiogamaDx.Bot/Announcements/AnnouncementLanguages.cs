using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Localization;

namespace ShiogamaDx.Bot.Announcements;

/// <summary>An announcement's text in one resident language, as the office wrote it (<c>easy</c> or a foreign pack's code).</summary>
public sealed class AnnouncementTranslation
{
    public long AnnouncementId { get; set; }

    public required string Language { get; set; }

    public required string Text { get; set; }
}

internal sealed class AnnouncementTranslationConfiguration : IEntityTypeConfiguration<AnnouncementTranslation>
{
    public void Configure(EntityTypeBuilder<AnnouncementTranslation> b)
    {
        b.ToTable("AnnouncementTranslations");
        b.HasKey(x => new { x.AnnouncementId, x.Language });
        b.Property(x => x.Language).HasMaxLength(8);
        b.Property(x => x.Text).HasMaxLength(30000);
        b.HasOne<Announcement>().WithMany().HasForeignKey(x => x.AnnouncementId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Announcements in the language kept for each resident (<see cref="ResidentLanguages"/>): the office's translation
/// where it wrote one; else, for a foreign language, a labelled machine translation (with an LLM) or the Japanese after
/// the pack's 「japanese-only」 note, never silently Japanese. やさしい日本語 residents get the easy text the office wrote,
/// else the Japanese as it is.
/// </summary>
public sealed class AnnouncementLanguages(BotDbContext db, LanguageCatalog catalog, MachineTranslator translator, TimeProvider clock)
{
    /// <summary>The heading of a topic's announcement in a pack: {topic}.</summary>
    public const string Heading = "announcement-heading";

    /// <summary>The heading of a class's own announcement in a pack: {title}, {date}, {venue}.</summary>
    public const string ClassHeading = "announcement-class-heading";

    /// <summary>What a translation's heading may take, counted when a translation is checked against LINE's length.</summary>
    public const int HeadingAllowance = 200;

    /// <summary>The languages an office may write a translation in: the packs' codes.</summary>
    public IReadOnlyList<string> Codes => [.. new[] { LanguagePack.Easy }.Concat(LanguagePack.Foreign).Where(catalog.Packs.ContainsKey)];

    /// <summary>
    /// The words a staff member writes before a translation's colon (「英語:」, 「English:」, 「en:」, 「やさしい日本語:」):
    /// each pack's switch words, name and code.
    /// </summary>
    public IReadOnlyDictionary<string, string> FieldWords()
    {
        var words = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var code in Codes)
        {
            var pack = catalog.Packs[code];
            foreach (var word in pack.Switch.Append(pack.Name).Append(code))
            {
                words.TryAdd(word.Trim(), code);
            }
        }

        return words;
    }

    /// <summary>A language's name for the staff chat (the pack's name: English, 中文 …).</summary>
    public string NameOf(string code) => catalog[code]?.Name ?? code;

    public async Task KeepAsync(long announcementId, IReadOnlyDictionary<string, string>? translations, CancellationToken ct)
    {
        foreach (var (language, text) in translations ?? new Dictionary<string, string>())
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                db.Add(new AnnouncementTranslation { AnnouncementId = announcementId, Language = language, Text = text.Trim() });
            }
        }

        await db.SaveChangesAsync(ct);
    }

    public Task<Dictionary<string, string>> TranslationsAsync(long announcementId, CancellationToken ct) =>
        db.Set<AnnouncementTranslation>().AsNoTracking().Where(t => t.AnnouncementId == announcementId)
            .ToDictionaryAsync(t => t.Language, t => t.Text, StringComparer.Ordinal, ct);

    /// <summary>The recipients who keep a language other than Japanese, by that language (keys not listed: Japanese).</summary>
    public async Task<Dictionary<string, string>> KeptAsync(IReadOnlyCollection<string> userKeys, CancellationToken ct)
    {
        // Residents who keep another language are few beside the recipients: read them all, match in memory.
        var wanted = userKeys.ToHashSet(StringComparer.Ordinal);
        var kept = await db.Set<ResidentLanguage>().AsNoTracking().Where(r => r.Language != LanguagePack.Japanese)
            .Select(r => new { r.UserKey, r.Language }).ToListAsync(ct);
        return kept.Where(r => wanted.Contains(r.UserKey) && catalog.Packs.ContainsKey(r.Language)).ToDictionary(r => r.UserKey, r => r.Language, StringComparer.Ordinal);
    }

    /// <summary>
    /// What a resident keeping <paramref name="language"/> receives; <paramref name="japanese"/> itself when that is
    /// the Japanese (a やさしい日本語 resident without an easy text).
    /// </summary>
    public async Task<IReadOnlyList<Reply>> InAsync(string language, Announcement a, Topic topic, IReadOnlyList<Reply> japanese, string? translation, CancellationToken ct)
    {
        if (catalog[language] is not { } pack)
        {
            return japanese;
        }

        if (pack.IsEasy)
        {
            return translation is null ? japanese : Compose(Japanese(japanese), translation, a.Link, a.ImageUrl, Japanese(japanese));
        }

        if (translation is not null)
        {
            var heading = await HeadingAsync(pack, a, topic, ct);
            return Compose(heading, translation, a.Link, a.ImageUrl, heading);
        }

        return await MachineAsync(pack, japanese, ct) ?? JapaneseOnly(pack, japanese);
    }

    /// <summary>The heading line of the Japanese (the first line of its first text).</summary>
    private static string Japanese(IReadOnlyList<Reply> japanese) => japanese.OfType<TextReply>().FirstOrDefault()?.Text.Split('\n')[0] ?? string.Empty;

    private static List<Reply> Compose(string heading, string text, string? link, string? image, string alt)
    {
        var parts = AnnouncementService.Parts(text);
        var replies = new List<Reply>();
        for (var i = 0; i < parts.Count; i++)
        {
            replies.Add(new TextReply((i == 0 ? heading + "\n" : string.Empty) + parts[i] + (i == parts.Count - 1 && !string.IsNullOrWhiteSpace(link) ? "\n" + link : string.Empty)));
        }

        if (image is not null)
        {
            var uri = new Uri(image);
            replies.Add(new ImageReply(uri, uri, alt));
        }

        return replies;
    }

    /// <summary>The heading in the pack's language: the topic's (or class's) words by the pack's terms, else in Japanese, labelled.</summary>
    private async Task<string> HeadingAsync(LanguagePack pack, Announcement a, Topic topic, CancellationToken ct)
    {
        if (a.ClassId is { } id && await db.Set<SmartphoneClass>().AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Title, c.StartsAt, c.Venue }).FirstOrDefaultAsync(ct) is { } c)
        {
            var local = TimeZoneInfo.ConvertTime(c.StartsAt, clock.LocalTimeZone);
            var date = pack.Format("dialog-date", ("month", local.Month.ToString(CultureInfo.InvariantCulture)), ("day", local.Day.ToString(CultureInfo.InvariantCulture)));
            return pack.Texts.ContainsKey(ClassHeading)
                ? pack.Format(ClassHeading, ("title", Say(pack, c.Title)), ("date", date), ("venue", Say(pack, c.Venue)))
                : $"[{Say(pack, c.Title)} ({date}, {Say(pack, c.Venue)})]";
        }

        return pack.Texts.ContainsKey(Heading) ? pack.Format(Heading, ("topic", Say(pack, topic.Name))) : $"[{Say(pack, topic.Name)}]";
    }

    private static string Say(LanguagePack pack, string japanese) => pack.Term(japanese) ?? $"{japanese} {pack["in-japanese"]}";

    /// <summary>Each text machine-translated, after the pack's label; null without an LLM, or when one text is not translated within LINE's length.</summary>
    private async Task<IReadOnlyList<Reply>?> MachineAsync(LanguagePack pack, IReadOnlyList<Reply> japanese, CancellationToken ct)
    {
        if (!translator.IsEnabled)
        {
            return null;
        }

        var translated = new List<Reply>();
        foreach (var reply in japanese)
        {
            if (reply is TextReply t)
            {
                if (await translator.TranslateAsync(t.Text, pack.Code, ct) is not { Length: > 0 and <= AnnouncementService.MaxTextMessage } text)
                {
                    return null;
                }

                translated.Add(new TextReply(text));
            }
            else
            {
                translated.Add(reply is ImageReply image ? image with { AltText = pack["machine-translation"] } : reply);
            }
        }

        return WithNote(pack["machine-translation"], translated);
    }

    /// <summary>The Japanese after the pack's note that what follows is only in Japanese.</summary>
    private static IReadOnlyList<Reply> JapaneseOnly(LanguagePack pack, IReadOnlyList<Reply> japanese) => WithNote(pack["japanese-only"], japanese);

    /// <summary>
    /// A note before the messages: a message of its own while LINE's five per push leave room, else the first text's
    /// first line.
    /// </summary>
    private static IReadOnlyList<Reply> WithNote(string note, IReadOnlyList<Reply> replies)
    {
        if (replies.Count < AnnouncementService.MaxMessages)
        {
            return [new TextReply(note), .. replies];
        }

        var first = replies.Select((r, i) => (r, i)).First(x => x.r is TextReply);
        var list = replies.ToList();
        list[first.i] = new TextReply(note + "\n" + ((TextReply)first.r).Text);
        return list;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;
using ShiogamaDx.Bot.Data;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Classes;

/// <summary>
/// Reads the class schedule (<c>Content/classes.yaml</c> or the city's own file, YAML or an Excel workbook). Every
/// mistake is reported with its file and line (row), because the people who edit the file are not programmers.
/// </summary>
public static partial class ClassSchedule
{
    private static readonly HashSet<string> Keys =
        ["id", "title", "topic", "date", "start", "end", "venue", "address", "capacity", "bring", "partner", "status", "sample"];

    public static IReadOnlyList<SmartphoneClass> Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"The class schedule is missing: {file}", file);
        }

        return Content.ContentWorkbook.IsWorkbook(file) ? ClassSpreadsheet.Load(file) : Parse(File.ReadAllText(file), file);
    }

    public static IReadOnlyList<SmartphoneClass> Parse(string yaml, string file)
    {
        var root = DialogLoader.ReadRoot(yaml, file);
        if (!root.Children.TryGetValue(new YamlScalarNode("classes"), out var node) || node is not YamlSequenceNode list)
        {
            throw new ContentFileException(file, DialogLoader.Line(root), "'classes' must be a list of classes");
        }

        var classes = new List<SmartphoneClass>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Children)
        {
            var c = ParseClass(item, file);
            if (!ids.Add(c.Id))
            {
                throw new ContentFileException(file, DialogLoader.Line(item), $"id '{c.Id}' is used twice");
            }

            classes.Add(c);
        }

        return classes;
    }

    private static SmartphoneClass ParseClass(YamlNode node, string file)
    {
        if (node is not YamlMappingNode map)
        {
            throw new ContentFileException(file, DialogLoader.Line(node), "a class must be a mapping (id:, title:, date: …)");
        }

        foreach (var key in map.Children.Keys)
        {
            var name = DialogLoader.Scalar(key, file);
            if (!Keys.Contains(name))
            {
                throw new ContentFileException(file, DialogLoader.Line(key), $"unknown key '{name}' (known: {string.Join(", ", Keys)})");
            }
        }

        var id = DialogLoader.Required(map, "id", file);
        if (!IdPattern().IsMatch(id))
        {
            throw Error(file, map, "id", $"'{id}' must be 1 to 40 lower-case letters, digits or '-'");
        }

        var dateText = DialogLoader.Required(map, "date", file);
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw Error(file, map, "date", $"'{dateText}' is not a date like 2026-12-05");
        }

        var start = Time(map, "start", file);
        var end = Time(map, "end", file);
        if (end <= start)
        {
            throw Error(file, map, "end", $"the class ends ({end:HH\\:mm}) before it starts ({start:HH\\:mm})");
        }

        var capacityText = DialogLoader.Required(map, "capacity", file);
        if (!int.TryParse(capacityText, NumberStyles.None, CultureInfo.InvariantCulture, out var capacity) || capacity is < 1 or > 500)
        {
            throw Error(file, map, "capacity", $"'{capacityText}' must be a whole number from 1 to 500");
        }

        var statusText = DialogLoader.Optional(map, "status") ?? "scheduled";
        if (!Enum.TryParse<ClassStatus>(statusText, ignoreCase: true, out var status) || !Enum.IsDefined(status) || int.TryParse(statusText, CultureInfo.InvariantCulture, out _))
        {
            throw Error(file, map, "status", $"'{statusText}' is not scheduled or cancelled");
        }

        return new SmartphoneClass
        {
            Id = id,
            Title = Text(map, "title", file, 100),
            Topic = Text(map, "topic", file, 300),
            StartsAt = ClassTime.At(date, start),
            EndsAt = ClassTime.At(date, end),
            Venue = Text(map, "venue", file, 100),
            Address = Text(map, "address", file, 200),
            Capacity = capacity,
            WhatToBring = Text(map, "bring", file, 300),
            Partner = DialogLoader.Optional(map, "partner") is { Length: > 0 } p ? Clip(p, 100, file, map, "partner") : null,
            Status = status,
            IsSample = DialogLoader.Flag(map, "sample", file),
        };
    }

    /// <summary>Whether a scheduled (not cancelled) class starts after <paramref name="now"/>.</summary>
    public static bool HasClassAhead(IEnumerable<SmartphoneClass> classes, DateTimeOffset now) =>
        classes.Any(c => c.Status == ClassStatus.Scheduled && c.StartsAt > now);

    private static TimeOnly Time(YamlMappingNode map, string key, string file)
    {
        var text = DialogLoader.Required(map, key, file);
        return TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : throw Error(file, map, key, $"'{text}' is not a time like 10:00");
    }

    private static string Text(YamlMappingNode map, string key, string file, int max) =>
        Clip(DialogLoader.Required(map, key, file).Trim(), max, file, map, key);

    private static string Clip(string value, int max, string file, YamlMappingNode map, string key) =>
        value.Length <= max ? value : throw Error(file, map, key, $"is {value.Length} characters; at most {max}");

    private static ContentFileException Error(string file, YamlMappingNode map, string key, string message)
    {
        var line = map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? DialogLoader.Line(node) : DialogLoader.Line(map);
        return new ContentFileException(file, line, $"{key}: {message}");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex IdPattern();
}

/// <summary>
/// Loads the schedule at start. Classes are upserted by id; seats already taken are the bot's own and kept.
/// A class no longer in the file disappears only if nobody registered for it (to cancel a class with
/// registrations, set <c>status: cancelled</c>).
/// </summary>
public sealed class ClassScheduleSeeder(BotDbContext db, Outbox outbox, TimeProvider clock, IOptions<ClassesOptions> options, DialogCatalog dialogs, MessageCatalog messages, Localization.ResidentLanguages languages, Localization.LanguageCatalog catalog, ILogger<ClassScheduleSeeder> logger) : IContentSeeder
{
    public int Order => 20;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        ClassSurveyDefinition.Validate(dialogs);
        var file = options.Value.ScheduleFile!;
        var classes = ClassSchedule.Load(file);
        int count;
        try
        {
            count = await ImportAsync(classes, cancellationToken);
        }
        catch (DbUpdateException ex) when (ClassBooking.IsUniqueViolation(ex))
        {
            // Another replica starting at the same moment inserted the same classes first: update them instead.
            db.ChangeTracker.Clear();
            count = await ImportAsync(classes, cancellationToken);
        }

        logger.LogInformation("Class schedule loaded from {File}: {Count} classes", Path.GetFileName(file), count);
        if (!ClassSchedule.HasClassAhead(classes, clock.GetUtcNow()))
        {
            // The bundled sample's dates are fixed: once they pass, residents are told there is no class.
            logger.LogWarning("The class schedule {File} has no class ahead: residents are told there is none. Update it (Classes:ScheduleFile)", Path.GetFileName(file));
        }
    }

    public async Task<int> ImportAsync(IReadOnlyList<SmartphoneClass> classes, CancellationToken ct)
    {
        var existing = await db.Set<SmartphoneClass>().ToDictionaryAsync(c => c.Id, StringComparer.Ordinal, ct);
        var cancelled = new List<SmartphoneClass>();
        foreach (var c in classes)
        {
            if (existing.Remove(c.Id, out var row))
            {
                if (row.Status == ClassStatus.Scheduled && c.Status == ClassStatus.Cancelled && c.StartsAt > clock.GetUtcNow())
                {
                    cancelled.Add(row);
                }

                row.Title = c.Title;
                row.Topic = c.Topic;
                row.StartsAt = c.StartsAt;
                row.EndsAt = c.EndsAt;
                row.Venue = c.Venue;
                row.Address = c.Address;
                row.Capacity = c.Capacity;
                row.WhatToBring = c.WhatToBring;
                row.Partner = c.Partner;
                row.Status = c.Status;
                row.IsSample = c.IsSample;
            }
            else
            {
                db.Add(c);
            }
        }

        var gone = existing.Keys.ToList();
        var withRegistrations = await db.Set<ClassRegistration>().Where(r => gone.Contains(r.ClassId)).Select(r => r.ClassId).Distinct().ToListAsync(ct);
        db.RemoveRange(existing.Values.Where(c => !withRegistrations.Contains(c.Id)));
        foreach (var c in cancelled)
        {
            await NotifyCancelledAsync(c, ct);
        }

        await db.SaveChangesAsync(ct);
        return classes.Count;
    }

    /// <summary>A class the city cancels: everyone registered or waiting is told (once), so nobody comes in vain.</summary>
    private async Task NotifyCancelledAsync(SmartphoneClass c, CancellationToken ct)
    {
        var registrations = await db.Set<ClassRegistration>().AsNoTracking()
            .Where(r => r.ClassId == c.Id && r.Status != RegistrationStatus.Cancelled && !r.EraseAfterClass)
            .ToListAsync(ct);
        foreach (var r in registrations)
        {
            // In the language kept for the resident where their pack has the class texts, else Japanese said to be so.
            var said = await Localization.ClassPushes.ForResidentAsync(languages, catalog, messages.Current, r.UserKey, ClassMessages.ClassCancelled(messages.Current, c), ct);
            await outbox.AddAsync(r.Channel, r.UserKey, said, string.Create(CultureInfo.InvariantCulture, $"class-cancelled:{r.Id}"), ct);
        }

        logger.LogInformation("Class {ClassId} cancelled in the schedule: {Count} registrant(s) told", c.Id, registrations.Count);
    }
}

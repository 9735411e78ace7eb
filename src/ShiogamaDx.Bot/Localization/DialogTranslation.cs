using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Language;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// A dialog's replies (dialogs/*.yaml, run in Japanese by the engine) in a resident's language, from the pack's
/// <c>dialogs:</c> section: a prompt or message is recognised by its step's Japanese text (placeholders filled by the
/// flow are read back and said in the language too: a choice's label, a term of the pack, or a value without Japanese
/// such as a number), a button by the step and index its postback names. A reply the pack does not cover whole is
/// returned as null, so the caller says it is Japanese (or machine-translates it): never half translated.
/// </summary>
public static partial class DialogTranslation
{
    /// <summary>The reply in the pack's language, or null when the pack does not cover every word of it.</summary>
    public static Reply? Translate(Reply reply, LanguagePack pack, DialogCatalog dialogs, MessageSet texts) => reply switch
    {
        ChoicesReply c => Choices(c, pack, dialogs, texts),
        TextReply t => Text(t.Text, pack, dialogs, texts) is { } said ? new TextReply(said) : null,
        _ => null,
    };

    /// <summary>The dialog whose translated trigger the message holds (a word of its own in Latin-script languages).</summary>
    public static string? Triggered(string text, LanguagePack pack, DialogCatalog dialogs)
    {
        var folded = LanguageDetector.Fold(text.Normalize(NormalizationForm.FormKC));
        foreach (var trigger in pack.Triggers)
        {
            if (dialogs.Contains(trigger.DialogId) && dialogs.Get(trigger.DialogId).Audience == Audience.Resident && trigger.In(folded))
            {
                return trigger.DialogId;
            }
        }

        return null;
    }

    private static ChoicesReply? Choices(ChoicesReply reply, LanguagePack pack, DialogCatalog dialogs, MessageSet texts)
    {
        var answers = reply.Choices.Select(c => Answer(c.Value)).ToList();
        if (answers.Count == 0 || answers.Any(a => a is null) || answers.Select(a => (a!.Value.Dialog, a.Value.Step)).Distinct().Count() != 1)
        {
            return null;
        }

        var (dialogId, stepId, _) = answers[0]!.Value;
        if (!dialogs.Contains(dialogId) || dialogs.Get(dialogId) is not { } dialog || dialog.Find(stepId) is not { } step
            || !pack.Dialogs.TryGetValue(dialogId, out var translated) || !translated.Steps.TryGetValue(stepId, out var own)
            || Fill(reply.Prompt, step.Prompt, own.Prompt, dialog, translated, pack, texts) is not { } prompt)
        {
            return null;
        }

        var labels = new List<Choice>();
        foreach (var (choice, answer) in reply.Choices.Zip(answers))
        {
            var index = answer!.Value.Index;
            string? label = step.Kind switch
            {
                StepKind.Confirm => index switch
                {
                    0 => pack["yes"],
                    1 => pack["no"],
                    _ => null,
                },
                _ when step.ChoicesFrom is null => index < own.Choices.Count && own.Choices.Count == step.Choices.Count ? own.Choices[index] : null,
                _ => Value(choice.Label, dialog, translated, pack, texts), // choices the code offers (a class's date and venue)
            };
            if (label is null)
            {
                return null;
            }

            labels.Add(choice with { Label = label });
        }

        return new ChoicesReply(prompt, labels);
    }

    private static string? Text(string text, LanguagePack pack, DialogCatalog dialogs, MessageSet texts)
    {
        foreach (var (id, translated) in pack.Dialogs)
        {
            if (!dialogs.Contains(id) || dialogs.Get(id) is not { Audience: Audience.Resident } dialog)
            {
                continue;
            }

            if (translated.Title is { } title && text == texts.Format(ConversationTexts.Cancelled, dialog.Title))
            {
                return pack["dialog-cancelled"].Replace("{title}", title, StringComparison.Ordinal);
            }

            foreach (var step in dialog.Steps)
            {
                if (!translated.Steps.TryGetValue(step.Id, out var own))
                {
                    continue;
                }

                if (Fill(text, step.Prompt, own.Prompt, dialog, translated, pack, texts) is { } said)
                {
                    return said;
                }

                if (step.Help is not null && own.Help is not null && text == step.Help + "\n" + texts[ConversationTexts.Help])
                {
                    return own.Help + "\n" + pack["dialog-help"];
                }
            }
        }

        return Runtime(text, pack, dialogs, texts) ?? ClassText(text, pack, texts);
    }

    /// <summary>
    /// The Japanese text read against its template (<c>「{topic}」についての…</c>); the translated template filled with the
    /// values read back, each in the pack's language. Null when the text is not this template's or a value has no translation.
    /// </summary>
    private static string? Fill(string text, string? japanese, string? own, DialogDefinition dialog, TranslatedDialog translated, LanguagePack pack, MessageSet texts) =>
        Fill(text, japanese, own, value => Value(value, dialog, translated, pack, texts));

    private static string? Fill(string text, string? japanese, string? own, Func<string, string?> translate)
    {
        if (japanese is null || own is null)
        {
            return null;
        }

        var names = new List<string>();
        var pattern = new StringBuilder("^");
        var at = 0;
        foreach (Match m in Placeholder().Matches(japanese))
        {
            pattern.Append(Regex.Escape(japanese[at..m.Index])).Append("(.*?)");
            names.Add(m.Groups[1].Value);
            at = m.Index + m.Length;
        }

        pattern.Append(Regex.Escape(japanese[at..])).Append('$');
        var match = Regex.Match(text, pattern.ToString(), RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));
        if (!match.Success)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (translate(match.Groups[i + 1].Value) is not { } value)
            {
                return null;
            }

            values[names[i]] = value;
        }

        return Placeholder().Replace(own, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
    }

    /// <summary>A value the flow put in a Japanese text, in the pack's language: a choice's label, a term, or as it is when it holds no Japanese.</summary>
    private static string? Value(string value, DialogDefinition dialog, TranslatedDialog translated, LanguagePack pack, MessageSet texts)
    {
        if (!HasJapanese(value))
        {
            return value;
        }

        if (JapaneseDay().Match(value) is { Success: true } day)
        {
            // A day the flow names (a class's 12月5日(土)), in the language's way of writing it.
            return pack["dialog-date"].Replace("{month}", day.Groups[1].Value, StringComparison.Ordinal).Replace("{day}", day.Groups[2].Value, StringComparison.Ordinal);
        }

        foreach (var step in dialog.Steps)
        {
            var index = step.Choices.Select(c => c.Label).ToList().IndexOf(value);
            if (index >= 0 && translated.Steps.TryGetValue(step.Id, out var own) && own.Choices.Count == step.Choices.Count)
            {
                return own.Choices[index];
            }
        }

        return pack.Term(value) ?? ClassText(value, pack, texts);
    }

    /// <summary>
    /// What Classes/ code writes into the class registration (messages.yaml, section classes: the class's summary, the
    /// number of people, the question, the result) and the pack's optional text for each. A pack without one leaves the
    /// reply to be said Japanese, as before.
    /// </summary>
    private static readonly (MessageKey Japanese, string Own)[] ClassResultTexts =
    [
        (Classes.ClassTexts.Summary, "class-summary"),
        (Classes.ClassTexts.Details, "class-details"),
        (Classes.ClassTexts.PeopleAlone, "class-people-alone"),
        (Classes.ClassTexts.PeopleWith, "class-people-with"),
        (Classes.ClassTexts.QuestionRegister, "class-question-register"),
        (Classes.ClassTexts.QuestionWaitingList, "class-question-waiting-list"),
        (Classes.ClassTexts.Confirmed, "class-confirmed"),
        (Classes.ClassTexts.Waiting, "class-waiting"),
        (Classes.ClassTexts.AlreadyRegistered, "class-already-registered"),
        (Classes.ClassTexts.TooManyPeople, "class-too-many-people"),
        (Classes.ClassTexts.Closed, "class-closed"),
        (Classes.ClassTexts.NotFound, "class-not-found"),
        (Classes.ClassTexts.Promoted, "class-promoted"),
        (Classes.ClassTexts.PromotedPrompt, "class-promoted-prompt"),
        (Classes.ClassTexts.SurveyInvitation, "class-survey-invitation"),
        (Classes.ClassTexts.SurveyInvitationPrompt, "class-survey-invitation-prompt"),
        (Classes.ClassTexts.ClassCancelled, "class-cancelled"),
        (Classes.ClassTexts.ClassCancelledPrompt, "class-cancelled-prompt"),
    ];

    /// <summary>The pack's text names of <see cref="ClassResultTexts"/>, with the placeholders the Japanese fills (for the pack's check).</summary>
    internal static IEnumerable<(string Own, string[] Placeholders)> ClassResultPlaceholders =>
        ClassResultTexts.Select(t => (t.Own, t.Japanese.Placeholders.ToArray()));

    /// <summary>A text of <see cref="ClassResultTexts"/> in the pack's language, each of its values too; null when one is not covered.</summary>
    internal static string? ClassText(string text, LanguagePack pack, MessageSet texts)
    {
        foreach (var (key, own) in ClassResultTexts)
        {
            if (!pack.Texts.TryGetValue(own, out var translated))
            {
                continue;
            }

            var template = texts.Format(key, key.Placeholders.Select(p => (object?)("{" + p + "}")).ToArray());
            if (Fill(text, template, translated, value => ClassValue(value, pack, texts)) is { } said)
            {
                return said;
            }
        }

        return null;
    }

    /// <summary>A value of the class texts: one without Japanese, a class's time (12月5日(土) 10:00〜12:00), a term, or a class text.</summary>
    private static string? ClassValue(string value, LanguagePack pack, MessageSet texts)
    {
        if (!HasJapanese(value))
        {
            return value;
        }

        if (JapaneseSpan().Match(value) is { Success: true } span)
        {
            var day = pack["dialog-date"].Replace("{month}", span.Groups[1].Value, StringComparison.Ordinal).Replace("{day}", span.Groups[2].Value, StringComparison.Ordinal);
            return $"{day} {span.Groups[3].Value}–{span.Groups[4].Value}";
        }

        if (JapaneseDay().Match(value) is { Success: true } date)
        {
            return pack["dialog-date"].Replace("{month}", date.Groups[1].Value, StringComparison.Ordinal).Replace("{day}", date.Groups[2].Value, StringComparison.Ordinal);
        }

        return pack.Term(value) ?? ClassText(value, pack, texts);
    }

    /// <summary>
    /// What the dialog runtime itself says (messages.yaml, conversations): a wrong or empty answer, too long a text,
    /// starting over, giving up. Its values: a dialog's title, the choices offered (「はい」「いいえ」), numbers.
    /// </summary>
    private static readonly (MessageKey Japanese, string Own)[] RuntimeTexts =
    [
        (ConversationTexts.Restarted, "dialog-restarted"),
        (ConversationTexts.NotAccepted, "dialog-not-accepted"),
        (ConversationTexts.GaveUp, "dialog-gave-up"),
        (ConversationTexts.Empty, "dialog-empty"),
        (ConversationTexts.ChooseOne, "dialog-choose-one"),
        (ConversationTexts.NumberExpected, "dialog-number"),
        (ConversationTexts.NumberRange, "dialog-number-range"),
        (ConversationTexts.TooLong, "dialog-too-long"),
    ];

    private static string? Runtime(string text, LanguagePack pack, DialogCatalog dialogs, MessageSet texts)
    {
        foreach (var (key, own) in RuntimeTexts)
        {
            if (!pack.Texts.TryGetValue(own, out var translated))
            {
                continue;
            }

            var template = texts.Format(key, key.Placeholders.Select(p => (object?)("{" + p + "}")).ToArray());
            if (Fill(text, template, translated, value => RuntimeValue(value, pack, dialogs, texts)) is { } said)
            {
                return said;
            }
        }

        return null;
    }

    /// <summary>A value of the runtime's texts: a dialog's title, the offered choices quoted one by one, or one without Japanese.</summary>
    private static string? RuntimeValue(string value, LanguagePack pack, DialogCatalog dialogs, MessageSet texts)
    {
        if (!HasJapanese(value))
        {
            return value;
        }

        var resident = pack.Dialogs.Where(d => dialogs.Contains(d.Key) && dialogs.Get(d.Key).Audience == Audience.Resident).Select(d => (Japanese: dialogs.Get(d.Key), Own: d.Value)).ToList();
        if (resident.FirstOrDefault(d => d.Japanese.Title == value && d.Own.Title is not null) is { Own.Title: { } title })
        {
            return title;
        }

        // 「はい」「いいえ」: each label of the choices, quoted as choice-quoted quotes it.
        var quoted = texts.Format(ConversationTexts.ChoiceQuoted, "\u0000").Split('\u0000');
        if (quoted.Length != 2 || quoted[0].Length == 0 || quoted[1].Length == 0)
        {
            return null;
        }

        var labels = new List<string>();
        var rest = value;
        while (rest.Length > 0)
        {
            var end = rest.IndexOf(quoted[1], quoted[0].Length, StringComparison.Ordinal);
            if (!rest.StartsWith(quoted[0], StringComparison.Ordinal) || end < 0)
            {
                return null;
            }

            var label = rest[quoted[0].Length..end];
            var said = label == texts[ConversationTexts.Yes] ? pack["yes"]
                : label == texts[ConversationTexts.No] ? pack["no"]
                : resident.Select(d => Value(label, d.Japanese, d.Own, pack, texts)).FirstOrDefault(v => v is not null && !HasJapanese(v));
            if (said is null)
            {
                return null;
            }

            labels.Add($"\"{said}\"");
            rest = rest[(end + quoted[1].Length)..];
        }

        return string.Join(" / ", labels);
    }

    private static bool HasJapanese(string value) => value.Any(c => JapaneseText.IsHiragana(c) || JapaneseText.IsKatakana(c) || JapaneseText.IsKanji(c));

    /// <summary>A dialog button's postback (<c>h=dialog&amp;a=answer&amp;d=…&amp;s=…&amp;i=…</c>), read back.</summary>
    private static (string Dialog, string Step, int Index)? Answer(string? value)
    {
        if (!Postback.LooksLikePostback(value))
        {
            return null;
        }

        var query = QueryHelpers.ParseQuery("?" + value);
        return query.TryGetValue("h", out var h) && h == DialogRuntime.PostbackHandler && query.TryGetValue("a", out var a) && a == "answer"
            && query.TryGetValue("d", out var d) && query.TryGetValue("s", out var s) && query.TryGetValue("i", out var i)
            && int.TryParse(i.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? (d.ToString(), s.ToString(), index)
            : null;
    }

    [GeneratedRegex(@"\{([\w.\-]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^(\d{1,2})月(\d{1,2})日(?:\(.\)|（.）)?$")]
    private static partial Regex JapaneseDay();

    /// <summary>A class's time as Classes/ writes it (ClassTime.Span): 12月5日(土) 10:00〜12:00.</summary>
    [GeneratedRegex(@"^(\d{1,2})月(\d{1,2})日(?:\(.\)|（.）)? (\d{1,2}:\d{2})〜(\d{1,2}:\d{2})$")]
    private static partial Regex JapaneseSpan();
}

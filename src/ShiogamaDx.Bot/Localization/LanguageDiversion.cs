using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using ShiogamaDx.Bot.Classes;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// Residents in their own language. Before the engine: a switch (「やさしい日本語で」, "English", the language menu), and a
/// turn in a foreign language (the message's own language, else the one kept for the resident, else their LINE
/// profile's) answered wholly in that language from the translated content. After the engine, for what it answered
/// in Japanese: procedure cards in their やさしい日本語 version where the city wrote one, and for a foreign-language
/// resident a machine translation (with an LLM) or a note in their language that what follows is only in Japanese.
/// </summary>
public sealed partial class LanguageDiversion(
    LanguageCatalog catalog,
    ResidentLanguages languages,
    ForeignIndexCache indexes,
    EasyIndexCache easyIndexes,
    IEnumerable<IIntentHandler> handlers,
    ProcedureIndexCache procedures,
    ClassBooking booking,
    ConversationStore store,
    DialogCatalog dialogs,
    DialogRuntime runtime,
    MachineTranslator translator,
    ProcedureDemandCounter demand,
    Messages.MessageCatalog messages,
    BotDbContext db,
    TimeProvider clock,
    ILogger<LanguageDiversion> logger) : ITurnDiversion
{
    public const string Handler = "lang";

    // Each list is kept as compared (LanguagePack.Key), so a turn normalises only its own text.

    /// <summary>Back to plain Japanese.</summary>
    private static readonly HashSet<string> JapaneseWords = Keys("日本語", "日本語で", "にほんご", "にほんごで", "ふつうの日本語", "ふつうの日本語で", "ふつうのにほんご", "ふつうのにほんごで", "普通の日本語", "普通の日本語で", "japanese");

    /// <summary>The language menu (the resident menu's item, or typed).</summary>
    private static readonly HashSet<string> MenuWords = Keys("言語", "げんご", "language", "languages", "やさしい日本語・language", "ことば", "言葉", "语言", "언어", "ngonngu", "idioma", "lingua", "wika");

    private static readonly HashSet<string> ForeignMenuWords = Keys("menu", "メニュー", "めにゅう", "めにゅー", "菜单", "메뉴", "thucdon", "cardapio", "start", "help");

    private const string TraditionalNote = "traditional-note";

    /// <summary>
    /// How much surer the easy words must be of a procedure than another feature (a guide, the class schedule) is of
    /// the question, for the procedure to answer a やさしい日本語 resident instead: clearly, not by a hair.
    /// </summary>
    private const double OtherFeatureMargin = 0.2;

    // This turn's language, kept for AfterAsync (the diversion is scoped: one per turn or inbox item).
    private string language = LanguagePack.Japanese;

    // Whether this turn's language was decided (DivertAsync ran for a resident): the apology of a failed turn follows it.
    private bool decided;

    // Whether this turn's answer starts with the note that Chinese is answered in Simplified characters (said once).
    private bool traditionalNote;

    public async Task<IReadOnlyList<Reply>?> DivertAsync(Turn turn, CancellationToken ct)
    {
        language = LanguagePack.Japanese;
        var packs = catalog.Packs;
        if (turn.Message.Audience != Audience.Resident || packs.Count == 0)
        {
            return null;
        }

        var key = turn.Message.UserKey;
        decided = false;
        var kept = await languages.KeptAsync(key, ct);
        var profile = FromLocale(turn.Message.Locale, packs);
        var profileKept = false;
        if (profile is not null && (kept is null || (kept.Value.Source == LanguageSource.Profile && kept.Value.Language != profile)))
        {
            // The LINE profile's language, kept for what the bot says on its own (class reminders, announcements) and
            // followed when the profile changes; a language the resident chose or wrote stands over it.
            profileKept = await languages.SetAsync(key, profile, LanguageSource.Profile, ct);
            kept = (profile, LanguageSource.Profile);
        }

        var stored = kept?.Language;
        if (turn.Postback is { Handler: Handler } button)
        {
            language = stored ?? LanguagePack.Japanese;
            return await ButtonAsync(turn, button, packs, ct);
        }

        var typed = turn.IsPostback ? string.Empty : Key(turn.Text);
        if (Switch(typed, packs) is { } target)
        {
            await languages.SetAsync(key, target, LanguageSource.Chosen, ct);
            language = target;
            return Switched(target, packs);
        }

        if (typed.Length > 0 && MenuWords.Contains(typed))
        {
            language = stored ?? LanguagePack.Japanese;
            return [LanguageChoices(packs, messages.Current)];
        }

        var detected = turn.IsPostback || ForeignMenuWords.Contains(typed) ? null : LanguageDetector.Detect(turn.Text);
        var pickedUpJapanese = false;
        if (detected is not null && detected != LanguagePack.Japanese && !packs.ContainsKey(detected))
        {
            detected = null; // a language without a pack: answered as before
        }

        if (detected == LanguagePack.Japanese && stored is { } keptForeign && keptForeign is not (LanguagePack.Japanese or LanguagePack.Easy)
            && packs.ContainsKey(keptForeign)
            && (!LanguageDetector.IsJapaneseSentence(turn.Text) || dialogs.Menus.SmallTalkFor(turn.Normalized) is not null))
        {
            // One Japanese word (やめる, ありがとう) from a resident who keeps another language is no evidence they
            // switched: answered in the language they keep (a flow's words by the engine, a catalog word from the pack,
            // thanks by the engine's small talk, said in the language by AfterAsync).
            detected = null;
            pickedUpJapanese = true;
        }

        language = detected switch
        {
            LanguagePack.Japanese => stored == LanguagePack.Easy ? LanguagePack.Easy : LanguagePack.Japanese,
            { } foreign => foreign,
            null => stored ?? LanguagePack.Japanese,
        };
        // Kept: a language the message showed (the next "1" or "yes" is answered in it). The note that Chinese is
        // answered in Simplified characters is said once: when the Traditional Chinese profile's language is first kept.
        traditionalNote = profileKept && IsTraditional(turn.Message.Locale) && language == "zh" && packs.TryGetValue(language, out var chinese) && chinese.Texts.ContainsKey(TraditionalNote);
        if (detected is not null && language != (stored ?? LanguagePack.Japanese))
        {
            await languages.SetAsync(key, language, LanguageSource.Written, ct);
        }

        decided = true;

        if (language == LanguagePack.Easy)
        {
            return packs.TryGetValue(LanguagePack.Easy, out var easy) ? EasyButton(turn, easy) ?? await EasyQuestionAsync(turn, easy, ct) : null;
        }

        if (language == LanguagePack.Japanese || !packs.TryGetValue(language, out var pack))
        {
            language = LanguagePack.Japanese;
            return null;
        }

        if (turn.IsPostback)
        {
            return null; // another feature's button (a flow's too): the engine answers, AfterAsync says it in the language
        }

        if (pickedUpJapanese && dialogs.Menus.SmallTalkFor(turn.Normalized) is not null)
        {
            return null;
        }

        if ((await store.LoadAsync(turn.Message.ConversationKey, ct)).State is { } flow)
        {
            // null: the engine answers the flow, AfterAsync says it
            return await InterruptedAsync(turn, flow, pack, ct) ?? await TypedAnswerAsync(turn, flow, pack, ct) ?? await AsideAsync(turn, flow, pack, ct);
        }

        return Noted(await ForeignAsync(turn, pack, ct), pack);
    }

    public Task<IReadOnlyList<Reply>> AfterAsync(Turn turn, IReadOnlyList<Reply> replies, bool understood, CancellationToken ct) =>
        AfterAsync(turn, replies, understood, null, ct);

    public async Task<IReadOnlyList<Reply>> AfterAsync(Turn turn, IReadOnlyList<Reply> replies, bool understood, string? answeredBy, CancellationToken ct)
    {
        if (turn.Message.Audience != Audience.Resident || language == LanguagePack.Japanese || catalog[language] is not { } pack)
        {
            return replies;
        }

        if (pack.IsEasy)
        {
            // A flow's step the pack says in easy Japanese (its dialogs: section, as a foreign pack's) is shown so; the
            // note that the answer is regular Japanese goes only where something of it has no easy version.
            var said = understood ? replies.Select(r => EasyMenuReply(r, pack) ?? DialogTranslation.Translate(r, pack, dialogs, messages.Current)).ToList() : [];
            var whole = said.Count > 0 && said.All(r => r is not null);
            var easy = Easy(understood ? said.Select((r, i) => r ?? replies[i]).ToList() : EasyNotUnderstood(replies, pack), pack);
            return understood && !whole && answeredBy is not (null or ProcedureReplies.Handler or Handler) ? NotEasy(easy, pack, answeredBy) : easy;
        }

        // The catalog counted the answer to "was this helpful?": its thanks, in the resident's language.
        return Noted(turn.Postback is { Handler: ProcedureReplies.Handler, Action: "fb" } ? [new TextReply(pack["thanks"])] : await ForeignTailAsync(replies, pack, ct), pack);
    }

    /// <summary>
    /// The apology for a resident's turn that failed, in their language: this turn's, when it was decided before the
    /// failure; else the one kept for them, the message's own, or their LINE profile's. やさしい日本語 with the easy
    /// menu, a foreign language with the pack's menu; null (the engine's Japanese) for Japanese.
    /// </summary>
    public async Task<IReadOnlyList<Reply>?> ApologyAsync(IncomingMessage message, CancellationToken ct)
    {
        var packs = catalog.Packs;
        if (message.Audience != Audience.Resident || packs.Count == 0)
        {
            return null;
        }

        var code = decided ? language
            : (await languages.KeptAsync(message.UserKey, ct))?.Language
              ?? (LanguageDetector.Detect(message.Text ?? string.Empty) is { } written && packs.ContainsKey(written) ? written : null)
              ?? FromLocale(message.Locale, packs);
        if (code is null || !packs.TryGetValue(code, out var pack) || !pack.Texts.TryGetValue("apology", out var apology))
        {
            return null;
        }

        return [new TextReply(apology), pack.IsEasy ? EasyMenuChoices(pack) : Menu(pack)];
    }

    /// <summary>This turn is answered in a foreign language (not Japanese, not やさしい日本語).</summary>
    public bool IsForeign => language is not (LanguagePack.Japanese or LanguagePack.Easy) && catalog[language] is not null;

    /// <summary>
    /// What a channel says around the engine's answer (a sticker's thanks, a feature's offer to a new friend), for this
    /// turn's resident: translated and labelled, or said to be only in Japanese.
    /// </summary>
    public async Task<IReadOnlyList<Reply>> AroundAsync(IReadOnlyList<Reply> replies, CancellationToken ct) =>
        replies.Count > 0 && IsForeign && catalog[language] is { } pack ? Noted(await ForeignTailAsync(replies, pack, ct), pack) : replies;

    /// <summary>The answer, after the note that Chinese is answered in Simplified characters when this turn owes it.</summary>
    private IReadOnlyList<Reply> Noted(IReadOnlyList<Reply> replies, LanguagePack pack)
    {
        if (!traditionalNote || !pack.Texts.TryGetValue(TraditionalNote, out var note))
        {
            return replies;
        }

        traditionalNote = false;
        return [new TextReply(note), .. replies];
    }

    /// <summary>A LINE language of Traditional Chinese (zh-Hant, zh-TW, zh-HK, zh-MO): answered from the Simplified pack, and told so.</summary>
    internal static bool IsTraditional(string? locale) =>
        locale?.Replace('_', '-').ToLowerInvariant() is { } l && (l.StartsWith("zh-hant", StringComparison.Ordinal) || l is "zh-tw" or "zh-hk" or "zh-mo");

    // ---------------------------------------------------------------- switching

    private static string? Switch(string key, IReadOnlyDictionary<string, LanguagePack> packs)
    {
        if (key.Length == 0 || key.Length > 30)
        {
            return null;
        }

        if (JapaneseWords.Contains(key))
        {
            return LanguagePack.Japanese;
        }

        return packs.Values.FirstOrDefault(p => p.SwitchKeys.Contains(key))?.Code;
    }

    private IReadOnlyList<Reply> Switched(string target, IReadOnlyDictionary<string, LanguagePack> packs)
    {
        var menu = dialogs.Menus.Resident;
        if (target == LanguagePack.Japanese)
        {
            var said = packs.TryGetValue(LanguagePack.Easy, out var easy) ? easy["switched-off"] : menu.Prompt;
            return [new TextReply(said), menu.AsChoices()];
        }

        var pack = packs[target];
        return pack.IsEasy ? [new TextReply(pack["switched"]), EasyMenuChoices(pack)] : [new TextReply(pack["switched"]), Menu(pack)];
    }

    private static ChoicesReply LanguageChoices(IReadOnlyDictionary<string, LanguagePack> packs, Messages.MessageSet texts)
    {
        var prompt = string.Join("\n", new[] { LanguagePack.Easy }.Concat(LanguagePack.Foreign)
            .Select(code => packs.TryGetValue(code, out var p) ? p["language-prompt"] : null)
            .OfType<string>()
            .Prepend(texts[LocalizationTexts.ChoosePrompt]));
        var choices = new List<Choice> { new(texts[LocalizationTexts.JapaneseButton], Postback.Create(Handler, "set", ("l", LanguagePack.Japanese))) };
        choices.AddRange(new[] { LanguagePack.Easy }.Concat(LanguagePack.Foreign)
            .Where(packs.ContainsKey)
            .Select(code => new Choice(packs[code].Name, Postback.Create(Handler, "set", ("l", code)))));
        return new ChoicesReply(prompt, choices);
    }

    private async Task<IReadOnlyList<Reply>> ButtonAsync(Turn turn, Postback button, IReadOnlyDictionary<string, LanguagePack> packs, CancellationToken ct)
    {
        if (button.Action == "set" && button["l"] is { } code && (code == LanguagePack.Japanese || packs.ContainsKey(code)))
        {
            await languages.SetAsync(turn.Message.UserKey, code, LanguageSource.Chosen, ct);
            language = code;
            return Switched(code, packs);
        }

        if (!packs.TryGetValue(language, out var pack) || pack.IsEasy)
        {
            return [LanguageChoices(packs, messages.Current)];
        }

        return button.Action switch
        {
            "menu" => button["i"] switch
            {
                "procedures" => [new TextReply(pack["procedures-hint"])],
                "classes" => await ClassesAsync(pack, ct),
                "contact" => [new TextReply(pack["contact"])],
                _ => [LanguageChoices(packs, messages.Current)],
            },
            "show" when button["id"] is { } id && procedures.Get(db).Find(id) is { } p => await AnswerAsync(pack, p, ct),
            _ => [new TextReply(pack["not-understood"]), Menu(pack)],
        };
    }

    // ---------------------------------------------------------------- foreign languages

    private async Task<IReadOnlyList<Reply>> ForeignAsync(Turn turn, LanguagePack pack, CancellationToken ct, bool triggers = true)
    {
        if (IsMenuWord(turn.Text) || turn.Normalized.Length == 0)
        {
            return [Menu(pack)];
        }

        if (triggers && DialogTranslation.Triggered(turn.Text, pack, dialogs) is { } dialogId)
        {
            // A dialog the pack translates, asked for in its words (feedback, 意见 …): run in Japanese, said in the language.
            var started = await runtime.StartAsync(dialogId, turn, null, ct);
            await store.SaveAsync(turn.Message.ConversationKey, started.State, ct);
            return await ForeignTailAsync(started.Replies, pack, ct);
        }

        var (hits, refused) = indexes.Get(pack, db).Find(turn.Text);
        if (hits.Count == 0 && !refused && procedures.Get(db).Search(turn) is [{ Confidence: >= ConversationEngine.MatchThreshold } japanese, ..])
        {
            // A word of the Japanese forms typed as it is (住民票): the catalog's own words found it; answered in the resident's language.
            // Not when the resident's own language found an entry and refused it: the question is about something the
            // catalog does not have, and a Chinese question's characters would still meet Japanese words (签证 … 証明).
            return await AnswerAsync(pack, japanese.Procedure, ct);
        }

        if (hits.Count == 0)
        {
            await KeepUnansweredAsync(turn, pack, ct);
            return [new TextReply(pack["not-understood"] + "\n" + pack["contact"]), Menu(pack)];
        }

        // The class schedule is a feature of its own: it answers before the catalog's entry about applying to a class.
        if (hits.Any(h => h.Id == ForeignIndex.ClassesId && h.Score >= hits[0].Score * 0.85))
        {
            return await ClassesAsync(pack, ct);
        }

        var catalogIndex = procedures.Get(db);
        var close = hits.Where(h => h.Id != ForeignIndex.ClassesId && h.Score >= hits[0].Score * 0.85)
            .Select(h => catalogIndex.Find(h.Id))
            .OfType<Procedure>()
            .ToList();
        if (close.Count > 1)
        {
            var cards = new List<Card>();
            foreach (var p in close)
            {
                var (name, _) = await SayAsync(pack, p.Name, pack.Procedures.GetValueOrDefault(p.Id)?.Name, ct);
                cards.Add(new Card(name, Status(pack, p), [new CardAction(pack["this-one"], CardActionKind.Postback, Postback.Create(Handler, "show", ("id", p.Id)))]));
            }

            return [new TextReply(pack["candidates"]), new CardsReply(pack["candidates"], cards)];
        }

        return close.Count == 1 ? await AnswerAsync(pack, close[0], ct) : [new TextReply(pack["not-understood"] + "\n" + pack["contact"]), Menu(pack)];
    }

    /// <summary>
    /// One of the pack's interruption words (hủy, cancelar, 取消 …) while a flow waits: answered as the runtime's own
    /// word (cancel, restart, help), said in the resident's language. Anything else is left to the rest.
    /// </summary>
    private async Task<IReadOnlyList<Reply>?> InterruptedAsync(Turn turn, DialogState state, LanguagePack pack, CancellationToken ct)
    {
        var key = Key(turn.Text);
        if (key.Length == 0 || !dialogs.Contains(state.DialogId)
            || !pack.InterruptionKeys.TryGetValue(key, out var kind))
        {
            return null;
        }

        var next = await runtime.ContinueAsync(state, turn with { Text = kind, Normalized = kind }, ct);
        await store.SaveAsync(turn.Message.ConversationKey, next.State, ct);
        return await ForeignTailAsync(next.Replies, pack, ct);
    }

    /// <summary>
    /// A choice of the waiting step typed in the resident's language (「Sim」, 「是」, a translated label): answered as its
    /// button would be. Anything else is left to the engine.
    /// </summary>
    private async Task<IReadOnlyList<Reply>?> TypedAnswerAsync(Turn turn, DialogState state, LanguagePack pack, CancellationToken ct)
    {
        if (!dialogs.Contains(state.DialogId) || !pack.Dialogs.TryGetValue(state.DialogId, out var translated)
            || dialogs.Get(state.DialogId).Find(state.StepId) is not { } step)
        {
            return null;
        }

        IReadOnlyList<string> labels = step.Kind == StepKind.Confirm ? [pack["yes"], pack["no"]]
            : step.Kind == StepKind.Choice && step.ChoicesFrom is null && translated.Steps.TryGetValue(step.Id, out var own) && own.Choices.Count == step.Choices.Count ? own.Choices
            : [];
        if (labels.Count == 0 || ChoiceMatcher.Match(turn.Text, labels.Select(l => new Choice(l)).ToList()) is not { } picked)
        {
            return null;
        }

        var index = labels.ToList().IndexOf(picked.Label);
        var answer = turn with
        {
            Postback = new Postback(DialogRuntime.PostbackHandler, "answer", new Dictionary<string, string>
            {
                ["d"] = state.DialogId,
                ["s"] = step.Id,
                ["i"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }),
        };
        var next = await runtime.ContinueAsync(state, answer, ct);
        await store.SaveAsync(turn.Message.ConversationKey, next.State, ct);
        return await ForeignTailAsync(next.Replies, pack, ct);
    }

    /// <summary>
    /// A question asked while a flow waits, that is no answer to it and that the translated content knows: answered in
    /// the resident's language, the flow kept with its answers and offered back (as the engine does for Japanese).
    /// </summary>
    private async Task<IReadOnlyList<Reply>?> AsideAsync(Turn turn, DialogState state, LanguagePack pack, CancellationToken ct)
    {
        if (!dialogs.Contains(state.DialogId) || runtime.Accepts(state, turn) || indexes.Get(pack, db).Search(turn.Text).Count == 0)
        {
            return null;
        }

        var title = pack.Dialogs.GetValueOrDefault(state.DialogId)?.Title;
        var answer = await ForeignAsync(turn, pack, ct, triggers: false);
        var resume = title is null
            ? runtime.ResumeOffer(state)
            : new ChoicesReply(pack["dialog-resume"].Replace("{title}", title, StringComparison.Ordinal),
                [new Choice(pack["dialog-resume-label"], Postback.Create(DialogRuntime.PostbackHandler, "resume", ("d", state.DialogId)))]);
        return [.. answer, .. title is null ? await ForeignTailAsync([resume], pack, ct) : [resume]];
    }

    /// <summary>One procedure, all in the resident's language: translated, machine-translated and labelled, or said to be missing.</summary>
    private async Task<IReadOnlyList<Reply>> AnswerAsync(LanguagePack pack, Procedure p, CancellationToken ct)
    {
        demand.Count(p.Id);
        var translated = pack.Procedures.GetValueOrDefault(p.Id);
        var machine = false;
        var (title, titleMachine) = await SayAsync(pack, p.Name, translated?.Name, ct);
        machine |= titleMachine;
        var lines = new List<string>();
        if (translated?.Text is { } text)
        {
            lines.Add(text);
        }
        else if (await translator.TranslateAsync(string.Join("\n", new[] { p.Description, p.How }.Where(s => s.Length > 0)), pack.Code, ct) is { } mt)
        {
            lines.Add(mt);
            machine = true;
        }
        else
        {
            lines.Add(pack.Format("not-translated", ("phone", Phone())));
        }

        if (p.OnlinePayment)
        {
            var methods = new List<string>();
            foreach (var m in p.Payment)
            {
                var (said, viaMachine) = await SayAsync(pack, m, pack.Term(m), ct);
                methods.Add(said);
                machine |= viaMachine;
            }

            lines.Add(pack.Format("pay-online", ("methods", string.Join(", ", methods))));
        }

        var (department, departmentMachine) = await SayAsync(pack, p.Department, pack.Term(p.Department), ct);
        machine |= departmentMachine;
        lines.Add(pack.Format("office", ("department", department)));
        if (p.Sample)
        {
            lines.Add(pack["sample-note"]);
        }

        if (machine)
        {
            lines.Add(pack["machine-translation"]);
        }

        var actions = new List<CardAction>();
        if (p.Url is not null)
        {
            actions.Add(new CardAction(pack[p.Online ? "apply-online" : p.OnlinePayment ? "pay-online-button" : "city-page"], CardActionKind.Link, p.Url));
        }

        return
        [
            new CardsReply(title, [new Card(title, string.Join("\n", lines), actions, Subtitle: Status(pack, p))]),
            new ChoicesReply(pack["feedback-prompt"],
            [
                new Choice(pack["helpful"], Postback.Create(ProcedureReplies.Handler, "fb", ("id", p.Id), ("v", "1"))),
                new Choice(pack["not-helpful"], Postback.Create(ProcedureReplies.Handler, "fb", ("id", p.Id), ("v", "0"))),
            ]),
        ];
    }

    /// <summary>A short Japanese term in the pack's language: the pack's own, else a labelled machine translation, else the Japanese labelled as such.</summary>
    private async Task<(string Text, bool Machine)> SayAsync(LanguagePack pack, string japanese, string? own, CancellationToken ct)
    {
        if (own is not null)
        {
            return (own, false);
        }

        return await translator.TranslateAsync(japanese, pack.Code, ct) is { } mt ? (mt, true) : ($"{japanese} {pack["in-japanese"]}", false);
    }

    private static string Status(LanguagePack pack, Procedure p) => pack[p.Online ? "online-yes" : "online-no"];

    private ChoicesReply Menu(LanguagePack pack) => new(
        pack["menu-prompt"],
        [
            new Choice(pack["menu-procedures"], Postback.Create(Handler, "menu", ("i", "procedures"))),
            new Choice(pack["menu-classes"], Postback.Create(Handler, "menu", ("i", "classes"))),
            new Choice(pack["menu-contact"], Postback.Create(Handler, "menu", ("i", "contact"))),
            new Choice(pack["menu-language"], Postback.Create(Handler, "menu", ("i", "language"))),
        ]);

    private async Task<IReadOnlyList<Reply>> ClassesAsync(LanguagePack pack, CancellationToken ct)
    {
        var upcoming = (await booking.UpcomingAsync(ct)).Take(5).ToList();
        if (upcoming.Count == 0)
        {
            return [new TextReply(pack["classes-none"])];
        }

        var cards = new List<Card>();
        var machine = false;
        foreach (var c in upcoming)
        {
            var (title, m1) = await SayAsync(pack, c.Title, pack.Term(c.Title), ct);
            var (venue, m2) = await SayAsync(pack, c.Venue, pack.Term(c.Venue), ct);
            machine |= m1 || m2;
            var start = ClassTime.Local(c.StartsAt);
            var end = ClassTime.Local(c.EndsAt);
            var body = $"{start:yyyy-MM-dd} {start:HH:mm}–{end:HH:mm}\n{venue}\n{pack.Format("class-seats", ("seats", c.SeatsLeft.ToString(System.Globalization.CultureInfo.InvariantCulture)))}";
            cards.Add(new Card(title, body, [new CardAction(pack["register-japanese"], CardActionKind.Postback, ClassMessages.Reg(c.Id))]));
        }

        var lead = pack["classes-title"] + (machine ? "\n" + pack["machine-translation"] : string.Empty);
        return [new TextReply(lead), new CardsReply(pack["classes-title"], cards)];
    }

    /// <summary>
    /// What the engine answered in Japanese for a foreign-language resident: a dialog's replies from the pack's
    /// translation; the rest machine-translated and labelled, or said to be Japanese.
    /// </summary>
    private async Task<IReadOnlyList<Reply>> ForeignTailAsync(IReadOnlyList<Reply> replies, LanguagePack pack, CancellationToken ct)
    {
        var own = replies.Select(r => DialogTranslation.Translate(r, pack, dialogs, messages.Current)).ToList();
        var result = new List<Reply>();
        if (!translator.IsEnabled)
        {
            for (var i = 0; i < replies.Count; i++)
            {
                if (own[i] is null && (i == 0 || own[i - 1] is not null))
                {
                    result.Add(new TextReply(pack["japanese-only"])); // before each run of replies only in Japanese
                }

                result.Add(own[i] ?? replies[i]);
            }

            return result;
        }

        var japaneseLabels = false;
        var machine = false;
        for (var i = 0; i < replies.Count; i++)
        {
            if (own[i] is { } translated)
            {
                result.Add(translated);
                continue;
            }

            var (said, labels) = await MachineAsync(replies[i], pack, ct);
            result.Add(said);
            japaneseLabels |= labels;
            machine = true;
        }

        if (japaneseLabels)
        {
            result.Insert(0, new TextReply(pack["japanese-buttons"]));
        }

        if (machine)
        {
            result.Insert(0, new TextReply(pack["machine-translation"]));
        }

        return result;
    }

    /// <summary>One Japanese reply machine-translated; whether a button had to keep its Japanese label.</summary>
    private async Task<(Reply Reply, bool JapaneseLabels)> MachineAsync(Reply reply, LanguagePack pack, CancellationToken ct)
    {
        var japaneseLabels = false;
        switch (reply)
        {
            case TextReply t:
                return (new TextReply(await OrJapaneseAsync(t.Text, pack, ct)), false);
            case ChoicesReply c:
                var choices = new List<Choice>();
                foreach (var choice in c.Choices)
                {
                    // A choice without data sends its label as the answer: it stays the Japanese the flow reads.
                    var label = choice.Value is null ? null : await translator.TranslateAsync(choice.Label, pack.Code, ct);
                    japaneseLabels |= label is null;
                    choices.Add(choice with { Label = label ?? choice.Label });
                }

                return (new ChoicesReply(await OrJapaneseAsync(c.Prompt, pack, ct), choices), japaneseLabels);
            case CardsReply cards:
                var translated = new List<Card>();
                foreach (var card in cards.Cards)
                {
                    var actions = new List<CardAction>();
                    foreach (var action in card.Actions)
                    {
                        var sendsLabel = action.Kind == CardActionKind.Message && string.IsNullOrWhiteSpace(action.Value);
                        var label = sendsLabel ? null : await translator.TranslateAsync(action.Label, pack.Code, ct);
                        japaneseLabels |= label is null;
                        actions.Add(action with { Label = label ?? action.Label });
                    }

                    translated.Add(card with { Title = await OrJapaneseAsync(card.Title, pack, ct), Body = await OrJapaneseAsync(card.Body, pack, ct), Actions = actions });
                }

                return (new CardsReply(await translator.TranslateAsync(cards.AltText, pack.Code, ct) ?? pack["machine-translation"], translated), japaneseLabels);
            default:
                return (reply, false);
        }
    }

    private async Task<string> OrJapaneseAsync(string japanese, LanguagePack pack, CancellationToken ct) =>
        await translator.TranslateAsync(japanese, pack.Code, ct) ?? $"{pack["japanese-only"]}\n{japanese}";

    // ---------------------------------------------------------------- やさしい日本語

    /// <summary>The 詳しく / 持ち物 buttons of a procedure that has an easy version: the easy version.</summary>
    private IReadOnlyList<Reply>? EasyButton(Turn turn, LanguagePack easy)
    {
        if (turn.Postback is not { Handler: ProcedureReplies.Handler, Action: "detail" or "bring" } pb || pb["id"] is not { } id
            || procedures.Get(db).Find(id) is not { } p || easy.Procedures.GetValueOrDefault(id)?.Text is null)
        {
            return null;
        }

        return [Framed(EasyCards(new CardsReply(p.Name, [ProcedureReplies.Card(p, messages.Current)]), easy).Reply, Frame(easy))];
    }

    /// <summary>
    /// A question the catalog's own words do not understand, asked by a やさしい日本語 resident: searched again with the
    /// easy versions' words beside the catalog's (<see cref="EasyIndex"/>). Answered here only when no feature of the
    /// engine understands it, or when the easy words are clearly surer than the feature that does; otherwise, and when
    /// the easy words do not find it either, the engine answers as before.
    /// </summary>
    private async Task<IReadOnlyList<Reply>?> EasyQuestionAsync(Turn turn, LanguagePack easy, CancellationToken ct)
    {
        if (turn.IsPostback || turn.Normalized.Length == 0 || dialogs.Menus.SmallTalkFor(turn.Normalized) is not null)
        {
            return null;
        }

        // Both indexes read the question without its framing words (しやくしょ): where it is asked, not what about.
        var index = easyIndexes.Get(easy, db);
        var unframed = index.WithoutFraming(turn.Text);
        var read = unframed == turn.Text ? turn : turn with { Text = unframed, Normalized = TextNormalizer.Normalize(unframed) };
        var regular = procedures.Get(db).Search(read);
        var hits = index.Search(turn.Text);

        // The strongest claim of another feature (a guide, the class schedule), on the question without its framing
        // words too (the city hall's guide claims any question that says しやくしょ); the engine weighs the procedures
        // feature by the catalog's own words, so a feature above those takes the question there.
        var other = handlers.Where(h => h.Audience == Audience.Resident && h.Name != ProcedureReplies.Handler)
            .Select(h => h.Match(read))
            .Where(claim => claim >= ConversationEngine.MatchThreshold)
            .DefaultIfEmpty(0)
            .Max();
        if (hits is not [{ Confidence: >= ConversationEngine.MatchThreshold } best, ..])
        {
            // Found only through its framing words (the engine would answer the city's job offer): nothing the city has.
            // Not when another feature claims the question as written more surely than that entry (the city hall's
            // guide for しやくしょは どこ): the engine gives that feature, as before.
            var framedOnly = unframed != turn.Text && other == 0 && regular is not [{ Confidence: >= ConversationEngine.MatchThreshold }, ..]
                && procedures.Get(db).Search(turn) is [{ Confidence: >= ConversationEngine.MatchThreshold } framed, ..]
                && !handlers.Any(h => h.Audience == Audience.Resident && h.Name != ProcedureReplies.Handler && h.Match(turn) >= framed.Confidence)
                && (await store.LoadAsync(turn.Message.ConversationKey, ct)).State is null;
            return framedOnly ? await EasyUnansweredAsync(turn, easy, ct) : null;
        }
        if ((regular is [{ Confidence: >= ConversationEngine.MatchThreshold } known, ..]
                && (known.Confidence >= best.Confidence || (known.Procedure.Id == best.Procedure.Id && known.Confidence > other)))
            || (other > 0 && other > best.Confidence - OtherFeatureMargin)
            || (await store.LoadAsync(turn.Message.ConversationKey, ct)).State is not null)
        {
            // The engine answers it (the same procedure, or as surely), or another feature is about as sure.
            return null;
        }

        var texts = messages.Current;
        var shown = ProcedureHandler.Decide(hits);
        if (shown.Count == 1)
        {
            demand.Count(shown[0].Id);
        }

        return Easy(shown.Count == 1 ? ProcedureReplies.Answer(shown[0], texts) : ProcedureReplies.Candidates(shown, texts), easy);
    }

    /// <summary>A やさしい日本語 question the city has nothing on, kept for review as the engine keeps one, and said so with the city hall's number.</summary>
    private async Task<IReadOnlyList<Reply>> EasyUnansweredAsync(Turn turn, LanguagePack easy, CancellationToken ct)
    {
        await KeepUnansweredAsync(turn, easy, ct);
        return [new TextReply(easy.Format("not-understood", ("phone", CityHallPhone()))), EasyMenuChoices(easy)];
    }

    /// <summary>A question in the resident's language that nothing answers, kept for the office's review as the engine keeps one.</summary>
    private async Task KeepUnansweredAsync(Turn turn, LanguagePack pack, CancellationToken ct)
    {
        db.Add(new UnansweredQuestion
        {
            Channel = turn.Message.Channel,
            Audience = Audience.Resident,
            UserKey = turn.Message.UserKey,
            Text = TextNormalizer.Clip(turn.Text, 500),
            AskedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Unanswered question kept for review ({Channel}, language {Language})", turn.Message.Channel, pack.Code);
    }

    /// <summary>
    /// The engine's "not understood", said in やさしい日本語 with the city hall's number (<c>{phone}</c>, from menus.yaml), and
    /// the menu after it in easy words.
    /// </summary>
    private IReadOnlyList<Reply> EasyNotUnderstood(IReadOnlyList<Reply> replies, LanguagePack easy)
    {
        var regular = dialogs.Menus.Resident.NotUnderstood;
        return replies.Select(r => r is TextReply t && t.Text.StartsWith(regular, StringComparison.Ordinal)
            ? new TextReply(easy.Format("not-understood", ("phone", CityHallPhone())))
            : EasyMenuReply(r, easy) ?? r).ToList();
    }

    /// <summary>
    /// The resident menu in やさしい日本語: the pack's prompt, and each item under its easy label (menu: items:), sending
    /// the item's own label so that it is answered as the regular item is (<see cref="Choice.Sending"/>).
    /// </summary>
    internal ChoicesReply EasyMenuChoices(LanguagePack easy) => EasyMenuChoices(dialogs.Menus.Resident, easy);

    internal static ChoicesReply EasyMenuChoices(Menu menu, LanguagePack easy) => new(
        easy.Menu?.Prompt ?? menu.Prompt,
        [.. menu.Items.Select(i => easy.Menu?.Items.GetValueOrDefault(i.Label) is { } label ? Choice.Sending(label, i.Label) : new Choice(i.Label))]);

    /// <summary>The resident menu's greeting or choices as the engine says them, in やさしい日本語; null for any other reply.</summary>
    private Reply? EasyMenuReply(Reply reply, LanguagePack easy)
    {
        var menu = dialogs.Menus.Resident;
        return easy.Menu is null ? null : reply switch
        {
            TextReply t when t.Text == menu.Greeting && easy.Menu.Greeting is { } greeting => new TextReply(greeting),
            ChoicesReply c when c.Prompt == menu.Prompt && c.Choices.Select(x => x.Label).SequenceEqual(menu.Items.Select(i => i.Label), StringComparer.Ordinal)
                && c.Choices.All(x => x.Value is null) => EasyMenuChoices(menu, easy),
            _ => null,
        };
    }

    /// <summary>City hall's number, as the residents' "not understood" in menus.yaml gives it; else the contact's.</summary>
    private string CityHallPhone() =>
        PhoneNumber().Match(dialogs.Menus.Resident.NotUnderstood) is { Success: true } m ? m.Value : Phone();

    /// <summary>
    /// The messages of a procedure answer's frame that the やさしい日本語 pack may say in easy Japanese (its optional
    /// texts, <see cref="LanguagePack.OptionalEasyTexts"/>), by the pack's key.
    /// </summary>
    internal static readonly IReadOnlyList<(string Easy, Messages.MessageKey Regular)> EasyFrame =
    [
        ("candidates", ProcedureTexts.CandidatesLead),
        ("this-one", ProcedureTexts.CandidateButton),
        ("detail", ProcedureTexts.DetailButton),
        ("bring", ProcedureTexts.BringButton),
        ("apply-online", ProcedureTexts.ApplyOnlineButton),
        ("pay-online-button", ProcedureTexts.PayOnlineButton),
        ("city-page", ProcedureTexts.CityPageButton),
        ("feedback-prompt", ProcedureTexts.FeedbackPrompt),
        ("helpful", ProcedureTexts.FeedbackHelpful),
        ("not-helpful", ProcedureTexts.FeedbackNotHelpful),
        ("sample-note", ProcedureTexts.SampleNote),
    ];

    private IReadOnlyList<Reply> Easy(IReadOnlyList<Reply> replies, LanguagePack easy)
    {
        var result = new List<Reply>();
        var missing = false;
        var frame = Frame(easy);
        foreach (var reply in replies)
        {
            if (reply is CardsReply cards)
            {
                var (rewritten, lacking) = EasyCards(cards, easy);
                result.Add(Framed(rewritten, frame));
                missing |= lacking;
            }
            else
            {
                result.Add(Framed(reply, frame));
            }
        }

        if (missing)
        {
            result.Add(new TextReply(easy["no-easy-version"]));
        }

        return result;
    }

    /// <summary>Prefix of the counts of a feature's answers a やさしい日本語 resident got in regular Japanese (with the procedures' demand).</summary>
    internal const string EasyFeaturePrefix = "easy:";

    /// <summary>
    /// An answer of a feature other than the catalog (the class schedule and registration, a guide such as 書かない窓口,
    /// the contact, a flow's step): no easy version of those exists, so the resident is told in easy Japanese that it
    /// is regular Japanese (before the buttons, which LINE shows under the last message), and the office's report
    /// counts it, so the easy versions get written where residents need them.
    /// </summary>
    private IReadOnlyList<Reply> NotEasy(IReadOnlyList<Reply> replies, LanguagePack easy, string feature)
    {
        var note = easy["no-easy-version"];
        demand.Count(EasyFeaturePrefix + feature);
        if (replies.Count == 0 || replies.Any(r => r is TextReply { Text: var t } && t == note))
        {
            return replies;
        }

        var at = replies[^1] is ChoicesReply ? replies.Count - 1 : replies.Count;
        return [.. replies.Take(at), new TextReply(note), .. replies.Skip(at)];
    }

    /// <summary>Procedure cards with their easy version as the body; whether one of them has none.</summary>
    private (CardsReply Reply, bool Lacking) EasyCards(CardsReply cards, LanguagePack easy)
    {
        var lacking = false;
        var rewritten = cards.Cards.Select(card =>
        {
            var id = card.Actions.Select(a => ProcedureId(a.Value)).FirstOrDefault(i => i is not null);
            if (id is null)
            {
                return card;
            }

            if (easy.Procedures.GetValueOrDefault(id) is not { Text: { } text } version)
            {
                lacking = true;
                return card;
            }

            var sample = procedures.Get(db).Find(id)?.Sample == true ? "\n" + easy.Texts.GetValueOrDefault("sample-note", ProcedureReplies.SampleNote(messages.Current)) : string.Empty;
            return card with { Title = version.Name ?? card.Title, Body = text + sample };
        }).ToList();

        // One card: what LINE shows in the chat list and notifications is its easy name too, not the regular title.
        var alt = rewritten is [{ } only] && !ReferenceEquals(only, cards.Cards[0]) ? only.Title : cards.AltText;
        return (cards with { AltText = alt, Cards = rewritten }, lacking);
    }

    /// <summary>The regular Japanese of the answer's frame → the pack's easy Japanese, for the texts the pack has.</summary>
    private Dictionary<string, string> Frame(LanguagePack easy)
    {
        var texts = messages.Current;
        var frame = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, regular) in EasyFrame)
        {
            if (easy.Texts.TryGetValue(key, out var said))
            {
                frame.TryAdd(texts[regular], said);
            }
        }

        return frame;
    }

    /// <summary>
    /// A reply with the frame's texts and labels said in easy Japanese where they are whole the regular ones. A choice
    /// without data keeps its label: the label is what it sends, and the flow reads the Japanese.
    /// </summary>
    private static Reply Framed(Reply reply, Dictionary<string, string> frame)
    {
        string Say(string text) => frame.GetValueOrDefault(text, text);
        return frame.Count == 0 ? reply : reply switch
        {
            TextReply t => t with { Text = Say(t.Text) },
            ChoicesReply c => c with { Prompt = Say(c.Prompt), Choices = [.. c.Choices.Select(ch => ch.Value is null ? ch : ch with { Label = Say(ch.Label) })] },
            CardsReply cards => cards with
            {
                Cards = [.. cards.Cards.Select(card => card with
                {
                    Actions = [.. card.Actions.Select(a => a.Kind == CardActionKind.Message && string.IsNullOrWhiteSpace(a.Value) ? a : a with { Label = Say(a.Label) })],
                })],
            },
            _ => reply,
        };
    }

    private static string? ProcedureId(string value)
    {
        if (!Postback.LooksLikePostback(value))
        {
            return null;
        }

        var query = QueryHelpers.ParseQuery("?" + value);
        return query.TryGetValue("h", out var h) && h == ProcedureReplies.Handler && query.TryGetValue("id", out var id) ? id.ToString() : null;
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>The help number from the menus' contact line (「お問い合わせ: … 022-355-5284 …」).</summary>
    private string Phone() => PhoneNumber().Match(dialogs.Menus.Contact) is { Success: true } m ? m.Value : dialogs.Menus.Contact;

    /// <summary>LINE's profile language (en, zh-Hans, ko, vi, pt-BR, tl …) as a pack's code.</summary>
    internal static string? FromLocale(string? locale, IReadOnlyDictionary<string, LanguagePack> packs)
    {
        if (string.IsNullOrEmpty(locale))
        {
            return null;
        }

        var code = locale.Split('-', '_')[0].ToLowerInvariant() switch
        {
            "fil" => "tl",
            var c => c,
        };
        return code != LanguagePack.Japanese && packs.ContainsKey(code) ? code : null;
    }

    private static bool IsMenuWord(string text) => ForeignMenuWords.Contains(Key(text));

    private static string Key(string text) => LanguagePack.Key(text);

    private static HashSet<string> Keys(params string[] words) => words.Select(LanguagePack.Key).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"0\d{1,4}-\d{1,4}-\d{3,4}")]
    private static partial Regex PhoneNumber();
}

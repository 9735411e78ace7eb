using System.Text.RegularExpressions;
using ShiogamaDx.Bot.Conversations;
using YamlDotNet.RepresentationModel;

namespace ShiogamaDx.Bot.Localization;

/// <summary>One procedure in a resident's language: its name, what it is and how to do it, the words people use.</summary>
public sealed record TranslatedProcedure(string? Name, string? Text, IReadOnlyList<string> Keywords);

/// <summary>One dialog of dialogs/ in a resident's language: its title, the words that start it, its steps by id.</summary>
public sealed record TranslatedDialog(string? Title, IReadOnlyList<string> Triggers, IReadOnlyDictionary<string, TranslatedStep> Steps);

/// <summary>One step of a dialog in a resident's language: its prompt (or a message step's text), help and choices (in the dialog's order).</summary>
public sealed record TranslatedStep(string? Prompt, string? Help, IReadOnlyList<string> Choices, int Line);

/// <summary>
/// The resident menu of menus.yaml in やさしい日本語 (easy.yaml <c>menu:</c>): its greeting and prompt, and an easy label
/// for each item by the item's own label. An item without one shows its own label.
/// </summary>
public sealed record EasyMenu(string? Greeting, string? Prompt, IReadOnlyDictionary<string, string> Items, int Line, IReadOnlyDictionary<string, int> ItemLines);

/// <summary>
/// One file of Content/languages/: what the bot says in one language (texts), the catalog's short Japanese terms
/// (departments, payment methods, class titles and venues), and the procedures (name, text, keywords) by id.
/// やさしい日本語 is a pack too (code <c>easy</c>): its procedure texts are the easy versions the city writes.
/// </summary>
public sealed partial record LanguagePack(
    string Code,
    string Name,
    bool Sample,
    IReadOnlyList<string> Switch,
    IReadOnlyDictionary<string, string> Texts,
    IReadOnlyDictionary<string, string> Terms,
    IReadOnlyDictionary<string, TranslatedProcedure> Procedures,
    IReadOnlyList<string> ClassKeywords,
    string File)
{
    /// <summary>
    /// The やさしい日本語 pack's readings of the catalog's kanji words (住民票: じゅうみんひょう), so a question written in
    /// hiragana reaches the procedure; content the city edits (hiragana only, checked).
    /// </summary>
    public IReadOnlyDictionary<string, string> Readings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Words of the language that carry no topic (how, para, paano, ng …), compared lower case without accents: left out
    /// when a question is matched with the translated fields. Content the office can extend (<c>function-words:</c>).
    /// In the やさしい日本語 pack, the words that say where a resident asks, not what about (しやくしょ, まどぐち), as
    /// written (<see cref="EasyIndex.WithoutFraming"/>).
    /// </summary>
    public IReadOnlySet<string> FunctionWords { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The words that lead to where one goes (para, sa, to), lower case without accents (<c>towards:</c>), and the
    /// pack's own words for another city (<c>elsewhere:</c>): a question going towards a place named with a capital
    /// that is not Shiogama and not a word of the catalog (para Tóquio, sa Pilipinas, to Osaka) is read as going to
    /// another city, which is how the catalog says moving out. Either missing: no such reading.
    /// </summary>
    public IReadOnlySet<string> Towards { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <inheritdoc cref="Towards"/>
    public string? Elsewhere { get; init; }

    /// <summary>
    /// Words of <see cref="Towards"/> that also say where something is or when (Tagalog <i>sa</i>: to, in, at, on;
    /// <c>towards-if-moving:</c>): after them a place is read as another city only in a question that speaks of
    /// moving (the catalog's words for moving out), as a place written in lower case is. Ikakasal kami sa Hunyo is a
    /// wedding in June, not a move.
    /// </summary>
    public IReadOnlySet<string> TowardsIfMoving { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The words after which a question names what it is about (<c>about:</c>: a, the, my, for / o, meu, de / ng, ang),
    /// lower case without accents: the rarest word of the phrase that follows is what it is about, and an entry that
    /// explains none of those words met the question on a generic word (renew, lost) and is not offered. Empty: no such
    /// reading (Chinese, Korean and Vietnamese say it by word order, without such words).
    /// </summary>
    public IReadOnlySet<string> About { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Particles written onto the noun a question is about (<c>about-particles:</c>; Korean 을/를, 은/는, 이/가): the word
    /// that carries one, without it, is what the question is about (여권을 갱신하고: the passport; 우산이 없어요: the
    /// umbrella), read as <see cref="About"/>'s phrases are. Korean puts the head of a noun phrase last, and the particle on it.
    /// </summary>
    public IReadOnlyList<string> AboutParticles { get; init; } = [];

    /// <summary>
    /// Question words a Chinese question puts right after what it is about (<c>about-before:</c> 怎么, 在哪里: 护照怎么更新,
    /// 停车证在哪里办): the characters before one, back to a stop, are what it is about, without the words of
    /// <see cref="AboutSkip"/> that open them (我想, 请问). Chinese writes no spaces, so the topic is read by where it stands.
    /// </summary>
    public IReadOnlyList<string> AboutBefore { get; init; } = [];

    /// <inheritdoc cref="AboutBefore"/>
    public IReadOnlyList<string> AboutSkip { get; init; } = [];

    /// <summary>
    /// The switch words as a typed message is compared with them (<see cref="Key"/>), made once when the pack is read:
    /// every resident turn is compared with every pack's switch words, so normalising them per turn cost CPU under load.
    /// </summary>
    public IReadOnlySet<string> SwitchKeys { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The interruption words as compared (<see cref="Key"/>) → what they do; made once, like <see cref="SwitchKeys"/>.</summary>
    public IReadOnlyDictionary<string, string> InterruptionKeys { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The dialogs' triggers as a message is searched for them (<see cref="DialogTrigger"/>), made once, in the pack's order.</summary>
    public IReadOnlyList<DialogTrigger> Triggers { get; init; } = [];

    /// <summary>The dialogs of dialogs/ in this language, by dialog id (what is not here is said to be Japanese, or machine-translated).</summary>
    public IReadOnlyDictionary<string, TranslatedDialog> Dialogs { get; init; } = new Dictionary<string, TranslatedDialog>(StringComparer.Ordinal);

    /// <summary>The resident menu in やさしい日本語 (easy.yaml <c>menu:</c>); null for a pack without one.</summary>
    public EasyMenu? Menu { get; init; }

    /// <summary>
    /// Words that work at every prompt of a waiting flow, in this language (<c>interruptions:</c>), by what they do:
    /// <c>cancel</c> (stop the flow), <c>restart</c> (from its first step), <c>help</c> (the step's help). Each is
    /// answered as the runtime's own word (「やめる」, cancel …) would be.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Interruptions { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>What an interruption word may do: the runtime's own word for it.</summary>
    public static readonly IReadOnlyList<string> InterruptionKinds = ["cancel", "restart", "help"];

    public const string Easy = "easy";
    public const string Japanese = "ja";

    /// <summary>The languages of Miyagi's foreign residents this bot serves (issue #24), in menu order.</summary>
    public static readonly IReadOnlyList<string> Foreign = ["en", "zh", "ko", "vi", "pt", "tl"];

    /// <summary>Every text a foreign-language pack must have, with the placeholders the host fills.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ForeignTexts = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["switched"] = [],
        ["menu-prompt"] = [],
        ["menu-procedures"] = [],
        ["menu-classes"] = [],
        ["menu-contact"] = [],
        ["menu-language"] = [],
        ["procedures-hint"] = [],
        ["not-understood"] = [],
        ["contact"] = [],
        ["not-translated"] = ["phone"],
        ["machine-translation"] = [],
        ["japanese-only"] = [],
        ["japanese-buttons"] = [],
        ["online-yes"] = [],
        ["online-no"] = [],
        ["pay-online"] = ["methods"],
        ["office"] = ["department"],
        ["apply-online"] = [],
        ["pay-online-button"] = [],
        ["city-page"] = [],
        ["sample-note"] = [],
        ["candidates"] = [],
        ["this-one"] = [],
        ["classes-title"] = [],
        ["classes-none"] = [],
        ["class-seats"] = ["seats"],
        ["register-japanese"] = [],
        ["language-prompt"] = [],
        ["in-japanese"] = [],
        ["feedback-prompt"] = [],
        ["helpful"] = [],
        ["not-helpful"] = [],
        ["thanks"] = [],
        ["yes"] = [],
        ["no"] = [],
        ["dialog-help"] = [],
        ["dialog-cancelled"] = ["title"],
        ["dialog-restarted"] = [],
        ["dialog-not-accepted"] = [],
        ["dialog-gave-up"] = ["title"],
        ["dialog-empty"] = [],
        ["dialog-choose-one"] = ["choices"],
        ["dialog-number"] = [],
        ["dialog-number-range"] = ["min", "max"],
        ["dialog-too-long"] = ["max", "length"],
        ["dialog-date"] = ["month", "day"],
        ["dialog-resume"] = ["title"],
        ["dialog-resume-label"] = [],
        ["apology"] = [],
    };

    /// <summary>
    /// Texts a foreign-language pack may have, with the placeholders the host fills: 「traditional-note」 (zh) is said
    /// once to a resident whose LINE is set to Traditional Chinese (zh-Hant, zh-TW, zh-HK), answered from the Simplified
    /// pack as there is no Traditional one. The 「class-reminder」 texts are the スマホ教室 reminder pushed the day before
    /// (<see cref="ClassPushes"/>); a pack without all three sends the Japanese reminder after its 「japanese-only」 note.
    /// The 「class-…」 texts of <see cref="DialogTranslation"/> say what Classes/ code writes into the class registration
    /// (summary, people, question, result), with the placeholders of their Japanese in messages.yaml. The
    /// 「announcement-…」 texts are the first line of an announcement the office translated (<see cref="Announcements.AnnouncementLanguages"/>).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> OptionalForeignTexts = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["traditional-note"] = [],
        [ClassPushes.Reminder] = ["title", "time", "venue", "address", "seats", "bring"],
        [ClassPushes.ReminderPrompt] = [],
        [ClassPushes.CancelButton] = [],
        [ClassPushes.SurveyButton] = [],
        [Announcements.AnnouncementLanguages.Heading] = ["topic"],
        [Announcements.AnnouncementLanguages.ClassHeading] = ["title", "date", "venue"],
    }.Concat(DialogTranslation.ClassResultPlaceholders.Select(t => KeyValuePair.Create(t.Own, t.Placeholders))).ToDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The words a flow's steps need beside their own (confirm buttons, the help's closing line, a cancelled flow, a
    /// date), for the やさしい日本語 pack's <c>dialogs:</c> easy versions of dialogs/, as a foreign pack has them.
    /// </summary>
    private static readonly string[] EasyDialogTexts = ["yes", "no", "dialog-help", "dialog-cancelled", "dialog-date"];

    /// <summary>The texts of the やさしい日本語 pack.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> EasyTexts = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["switched"] = [],
        ["switched-off"] = [],
        ["no-easy-version"] = [],
        ["not-understood"] = ["phone"],
        ["language-prompt"] = [],
        ["apology"] = [],
    };

    /// <summary>
    /// Texts the やさしい日本語 pack may have: the frame of a procedure answer (the lead before candidates, buttons, the
    /// feedback question, the sample note) in easy Japanese. Each stands for one message of messages.yaml
    /// (<see cref="LanguageDiversion.EasyFrame"/>); one the pack lacks is shown as the regular Japanese.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> OptionalEasyTexts =
        LanguageDiversion.EasyFrame.Select(f => KeyValuePair.Create(f.Easy, Array.Empty<string>()))
            .Concat(EasyDialogTexts.Select(k => KeyValuePair.Create(k, ForeignTexts[k])))
            .ToDictionary(StringComparer.Ordinal);


    /// <summary>Texts shown as buttons: LINE cuts labels after 20 characters.</summary>
    private static readonly string[] ButtonTexts = ["menu-procedures", "menu-classes", "menu-contact", "menu-language", "apply-online", "pay-online-button", "city-page", "this-one", "register-japanese", "helpful", "not-helpful", "yes", "no", "dialog-resume-label", "detail", "bring", ClassPushes.CancelButton, ClassPushes.SurveyButton];
    private const int MaxLabel = 20;

    private static readonly HashSet<string> TopKeys = ["language", "name", "sample", "switch", "texts", "terms", "procedures", "classes", "readings", "dialogs", "function-words", "towards", "towards-if-moving", "elsewhere", "about", "about-particles", "about-before", "about-skip", "interruptions", "menu"];
    private static readonly HashSet<string> MenuKeys = ["greeting", "prompt", "items"];
    private static readonly HashSet<string> ProcedureKeys = ["name", "text", "keywords"];
    private static readonly HashSet<string> DialogKeys = ["title", "triggers", "steps"];
    private static readonly HashSet<string> StepKeys = ["prompt", "text", "help", "choices"];

    public bool IsEasy => Code == Easy;

    public string this[string key] => Texts.TryGetValue(key, out var text) ? text : key;

    /// <summary>
    /// How a typed word is compared with a pack's switch, menu and interruption words: width folded, lower case, no
    /// spaces, accents or voicing marks, no closing punctuation. Both sides go through it, so they meet however typed.
    /// </summary>
    internal static string Key(string text) =>
        string.Concat(LanguageDetector.Fold(text.Normalize(System.Text.NormalizationForm.FormKC)).Where(c => !char.IsWhiteSpace(c))).TrimEnd('。', '.', '!', '！', '?', '？');

    /// <summary>A text with its placeholders filled.</summary>
    public string Format(string key, params (string Name, string Value)[] values)
    {
        var text = this[key];
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>A Japanese term of the catalog in this language, or null when the pack has none.</summary>
    public string? Term(string japanese) => Terms.TryGetValue(japanese.Trim(), out var term) ? term : null;

    public static LanguagePack Load(string path) => Parse(System.IO.File.ReadAllText(path), path);

    /// <summary>Parses a pack; every problem found is reported at once, each with its line.</summary>
    public static LanguagePack Parse(string yaml, string file)
    {
        var root = DialogLoader.ReadRoot(yaml, file);
        var problems = new List<ContentFileException>();
        foreach (var key in root.Children.Keys.OfType<YamlScalarNode>().Where(k => !TopKeys.Contains(k.Value ?? string.Empty)))
        {
            problems.Add(new ContentFileException(file, DialogLoader.Line(key), $"unknown key '{key.Value}' (known: {string.Join(", ", TopKeys)})"));
        }

        var code = Scalar(root, "language") ?? string.Empty;
        var expectedCode = Path.GetFileNameWithoutExtension(file);
        if (code != expectedCode || (code != Easy && !Foreign.Contains(code)))
        {
            problems.Add(new ContentFileException(file, DialogLoader.Line(root), $"language: '{code}' must be the file's name ({expectedCode}) and one of easy, {string.Join(", ", Foreign)}"));
        }

        var texts = Map(root, "texts", file, problems);
        var required = code == Easy ? EasyTexts : ForeignTexts;
        var optional = code == Easy ? OptionalEasyTexts : OptionalForeignTexts;
        foreach (var (key, placeholders) in required.Concat(optional))
        {
            if (!texts.TryGetValue(key, out var text) || text.Trim().Length == 0)
            {
                if (required.ContainsKey(key))
                {
                    problems.Add(new ContentFileException(file, LineOf(root, "texts"), $"texts: '{key}' is missing"));
                }

                continue;
            }

            foreach (Match m in Placeholder().Matches(text))
            {
                if (!placeholders.Contains(m.Groups[1].Value))
                {
                    problems.Add(new ContentFileException(file, LineOf(root, "texts"), $"texts: '{key}': {{{m.Groups[1].Value}}} is not filled by the host (it fills {(placeholders.Length == 0 ? "nothing" : string.Join(", ", placeholders.Select(p => "{" + p + "}")))})"));
                }
            }
        }

        foreach (var key in ButtonTexts.Where(k => texts.TryGetValue(k, out var label) && label.Length > MaxLabel))
        {
            problems.Add(new ContentFileException(file, LineOf(root, "texts"), $"texts: '{key}' is a button label: at most {MaxLabel} characters (LINE's limit)"));
        }

        foreach (var key in texts.Keys.Where(k => !required.ContainsKey(k) && !optional.ContainsKey(k)))
        {
            problems.Add(new ContentFileException(file, LineOf(root, "texts"), $"texts: unknown key '{key}'"));
        }

        var procedures = new Dictionary<string, TranslatedProcedure>(StringComparer.Ordinal);
        if (root.Children.TryGetValue(new YamlScalarNode("procedures"), out var procNode))
        {
            if (procNode is not YamlMappingNode procMap)
            {
                problems.Add(new ContentFileException(file, DialogLoader.Line(procNode), "procedures: must map a procedure id to its name, text and keywords"));
            }
            else
            {
                foreach (var (idNode, value) in procMap.Children)
                {
                    var id = (idNode as YamlScalarNode)?.Value ?? string.Empty;
                    if (value is not YamlMappingNode fields)
                    {
                        problems.Add(new ContentFileException(file, DialogLoader.Line(idNode), $"procedures: '{id}' must have name, text or keywords"));
                        continue;
                    }

                    foreach (var key in fields.Children.Keys.OfType<YamlScalarNode>().Where(k => !ProcedureKeys.Contains(k.Value ?? string.Empty)))
                    {
                        problems.Add(new ContentFileException(file, DialogLoader.Line(key), $"procedures: '{id}': unknown key '{key.Value}' (known: name, text, keywords)"));
                    }

                    procedures[id] = new TranslatedProcedure(Clean(Scalar(fields, "name")), Clean(Scalar(fields, "text")), List(fields, "keywords"));
                }
            }
        }

        var terms = Map(root, "terms", file, problems);
        var readings = Map(root, "readings", file, problems);
        foreach (var (word, reading) in readings.Where(r => !r.Value.All(c => c is >= '\u3041' and <= '\u309F' or 'ー')))
        {
            problems.Add(new ContentFileException(file, LineOf(root, "readings"), $"readings: '{word}': '{reading}' must be hiragana only"));
        }

        var classKeywords = root.Children.TryGetValue(new YamlScalarNode("classes"), out var classes) && classes is YamlMappingNode classMap
            ? List(classMap, "keywords")
            : [];
        var dialogs = ParseDialogs(root, file, problems);
        var menu = ParseMenu(root, code, file, problems);
        var interruptions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (root.Children.TryGetValue(new YamlScalarNode("interruptions"), out var interruptNode))
        {
            if (interruptNode is not YamlMappingNode interruptMap)
            {
                problems.Add(new ContentFileException(file, DialogLoader.Line(interruptNode), $"interruptions: must map {string.Join(", ", InterruptionKinds)} to lists of words"));
            }
            else
            {
                foreach (var key in interruptMap.Children.Keys.OfType<YamlScalarNode>())
                {
                    if (!InterruptionKinds.Contains(key.Value ?? string.Empty))
                    {
                        problems.Add(new ContentFileException(file, DialogLoader.Line(key), $"interruptions: unknown key '{key.Value}' (known: {string.Join(", ", InterruptionKinds)})"));
                    }
                    else
                    {
                        interruptions[key.Value!] = List(interruptMap, key.Value!);
                    }
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ContentProblemsException(problems);
        }

        var switchWords = List(root, "switch");
        var interruptionKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (kind, words) in interruptions)
        {
            foreach (var word in words)
            {
                interruptionKeys.TryAdd(Key(word), kind);
            }
        }

        interruptionKeys.Remove(string.Empty);
        return new LanguagePack(
            code,
            Scalar(root, "name") ?? code,
            Scalar(root, "sample") is "true",
            switchWords,
            texts,
            terms,
            procedures,
            classKeywords,
            file)
        {
            Readings = readings,
            Dialogs = dialogs,
            Menu = menu,
            // やさしい日本語's words as written: folding would take the dakuten off (まどぐち → まとくち).
            FunctionWords = (code == Easy ? List(root, "function-words").Select(w => w.Trim()).Where(w => w.Length > 0) : List(root, "function-words").SelectMany(LanguageDetector.Words)).ToHashSet(StringComparer.Ordinal),
            Towards = List(root, "towards").SelectMany(LanguageDetector.Words).ToHashSet(StringComparer.Ordinal),
            Elsewhere = Scalar(root, "elsewhere"),
            TowardsIfMoving = List(root, "towards-if-moving").SelectMany(LanguageDetector.Words).ToHashSet(StringComparer.Ordinal),
            About = List(root, "about").SelectMany(LanguageDetector.Words).ToHashSet(StringComparer.Ordinal),
            AboutParticles = [.. List(root, "about-particles").Select(w => w.Trim()).Where(w => w.Length > 0).OrderByDescending(w => w.Length)],
            AboutBefore = [.. List(root, "about-before").Select(w => w.Trim()).Where(w => w.Length > 0).OrderByDescending(w => w.Length)],
            AboutSkip = [.. List(root, "about-skip").Select(w => w.Trim()).Where(w => w.Length > 0).OrderByDescending(w => w.Length)],
            Interruptions = interruptions,
            SwitchKeys = switchWords.Select(Key).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal),
            InterruptionKeys = interruptionKeys,
            Triggers = dialogs.SelectMany(d => d.Value.Triggers.Select(t => DialogTrigger.Of(d.Key, t))).OfType<DialogTrigger>().ToList(),
        };
    }

    /// <summary><c>dialogs:</c> dialog id → title, triggers, steps: step id → prompt (or text), help, choices.</summary>
    private static Dictionary<string, TranslatedDialog> ParseDialogs(YamlMappingNode root, string file, List<ContentFileException> problems)
    {
        var result = new Dictionary<string, TranslatedDialog>(StringComparer.Ordinal);
        if (!root.Children.TryGetValue(new YamlScalarNode("dialogs"), out var node))
        {
            return result;
        }

        if (node is not YamlMappingNode map)
        {
            problems.Add(new ContentFileException(file, DialogLoader.Line(node), "dialogs: must map a dialog id (dialogs/*.yaml) to its title, triggers and steps"));
            return result;
        }

        foreach (var (idNode, value) in map.Children)
        {
            var id = (idNode as YamlScalarNode)?.Value ?? string.Empty;
            if (value is not YamlMappingNode fields)
            {
                problems.Add(new ContentFileException(file, DialogLoader.Line(idNode), $"dialogs: '{id}' must have title, triggers or steps"));
                continue;
            }

            foreach (var key in fields.Children.Keys.OfType<YamlScalarNode>().Where(k => !DialogKeys.Contains(k.Value ?? string.Empty)))
            {
                problems.Add(new ContentFileException(file, DialogLoader.Line(key), $"dialogs: '{id}': unknown key '{key.Value}' (known: {string.Join(", ", DialogKeys)})"));
            }

            var steps = new Dictionary<string, TranslatedStep>(StringComparer.Ordinal);
            if (fields.Children.TryGetValue(new YamlScalarNode("steps"), out var stepsNode))
            {
                if (stepsNode is not YamlMappingNode stepMap)
                {
                    problems.Add(new ContentFileException(file, DialogLoader.Line(stepsNode), $"dialogs: '{id}': steps: must map a step id to its prompt (or text), help and choices"));
                }
                else
                {
                    foreach (var (stepNode, stepValue) in stepMap.Children)
                    {
                        var step = (stepNode as YamlScalarNode)?.Value ?? string.Empty;
                        if (stepValue is not YamlMappingNode stepFields)
                        {
                            problems.Add(new ContentFileException(file, DialogLoader.Line(stepNode), $"dialogs: '{id}': step '{step}' must have prompt, text, help or choices"));
                            continue;
                        }

                        foreach (var key in stepFields.Children.Keys.OfType<YamlScalarNode>().Where(k => !StepKeys.Contains(k.Value ?? string.Empty)))
                        {
                            problems.Add(new ContentFileException(file, DialogLoader.Line(key), $"dialogs: '{id}': step '{step}': unknown key '{key.Value}' (known: {string.Join(", ", StepKeys)})"));
                        }

                        steps[step] = new TranslatedStep(Clean(Scalar(stepFields, "prompt") ?? Scalar(stepFields, "text")), Clean(Scalar(stepFields, "help")), List(stepFields, "choices"), DialogLoader.Line(stepNode));
                    }
                }
            }

            result[id] = new TranslatedDialog(Clean(Scalar(fields, "title")), List(fields, "triggers"), steps);
        }

        return result;
    }

    /// <summary><c>menu:</c> (やさしい日本語 only): greeting, prompt, items: an item's label in menus.yaml → its easy label.</summary>
    private static EasyMenu? ParseMenu(YamlMappingNode root, string code, string file, List<ContentFileException> problems)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("menu"), out var node))
        {
            return null;
        }

        if (code != Easy)
        {
            problems.Add(new ContentFileException(file, DialogLoader.Line(node), "menu: only the やさしい日本語 pack has one (a foreign pack's menu is its menu-… texts)"));
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            problems.Add(new ContentFileException(file, DialogLoader.Line(node), "menu: must have greeting, prompt and items"));
            return null;
        }

        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Where(k => !MenuKeys.Contains(k.Value ?? string.Empty)))
        {
            problems.Add(new ContentFileException(file, DialogLoader.Line(key), $"menu: unknown key '{key.Value}' (known: {string.Join(", ", MenuKeys)})"));
        }

        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        if (map.Children.TryGetValue(new YamlScalarNode("items"), out var itemsNode))
        {
            if (itemsNode is not YamlMappingNode itemMap)
            {
                problems.Add(new ContentFileException(file, DialogLoader.Line(itemsNode), "menu: items: must map an item's label in menus.yaml to its easy label"));
            }
            else
            {
                foreach (var (k, v) in itemMap.Children)
                {
                    if (k is YamlScalarNode { Value: { } regular } && v is YamlScalarNode { Value: { } label } && label.Trim().Length > 0)
                    {
                        items[regular.Trim()] = label.Trim();
                        lines[regular.Trim()] = DialogLoader.Line(k);
                    }
                    else
                    {
                        problems.Add(new ContentFileException(file, DialogLoader.Line(k), "menu: items: each entry is the item's label: its easy label"));
                    }
                }
            }
        }

        return new EasyMenu(Clean(Scalar(map, "greeting")), Clean(Scalar(map, "prompt")), items, DialogLoader.Line(node), lines);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

    private static List<string> List(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode seq
            ? seq.Children.OfType<YamlScalarNode>().Select(s => s.Value?.Trim() ?? string.Empty).Where(s => s.Length > 0).ToList()
            : [];

    private static Dictionary<string, string> Map(YamlMappingNode root, string key, string file, List<ContentFileException> problems)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return result;
        }

        if (node is not YamlMappingNode map)
        {
            problems.Add(new ContentFileException(file, DialogLoader.Line(node), $"{key}: must be a list of key: text"));
            return result;
        }

        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode { Value: { } text })
            {
                result[name.Trim()] = text.Trim();
            }
            else
            {
                problems.Add(new ContentFileException(file, DialogLoader.Line(k), $"{key}: each entry is key: text"));
            }
        }

        return result;
    }

    private static int LineOf(YamlMappingNode root, string key) =>
        root.Children.TryGetValue(new YamlScalarNode(key), out var node) ? DialogLoader.Line(node) : DialogLoader.Line(root);

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex Placeholder();
}

/// <summary>
/// A dialog's translated trigger as a message is searched for it, folded once when the pack is read: a word of its own
/// in Latin-script languages (<see cref="Word"/>), anywhere in the message otherwise.
/// </summary>
public sealed record DialogTrigger(string DialogId, string Folded, Regex? Word)
{
    public static DialogTrigger? Of(string dialogId, string trigger)
    {
        var folded = LanguageDetector.Fold(trigger.Normalize(System.Text.NormalizationForm.FormKC)).Trim();
        if (folded.Length == 0)
        {
            return null;
        }

        var word = folded.All(c => c < 0x250)
            ? new Regex($@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(folded)}(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant)
            : null;
        return new DialogTrigger(dialogId, folded, word);
    }

    /// <summary>Whether a message, folded as the trigger is, holds it.</summary>
    public bool In(string folded) => Word?.IsMatch(folded) ?? folded.Contains(Folded, StringComparison.Ordinal);
}

/// <summary>Several problems of one content file, each with its line.</summary>
public sealed class ContentProblemsException(IReadOnlyList<ContentFileException> problems)
    : Exception(string.Join("\n", problems.Select(p => p.Message)))
{
    public IReadOnlyList<ContentFileException> Problems { get; } = problems;
}

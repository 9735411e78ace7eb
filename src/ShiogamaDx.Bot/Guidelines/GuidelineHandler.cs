using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Guidelines;

/// <summary>
/// Staff questions about the generative-AI guideline. Staff only: the engine never offers a staff handler to a
/// resident, so the guideline is not reachable from LINE.
/// </summary>
internal sealed class GuidelineHandler(GuidelineAnswerer answerer, GuidelineLibrary library, IOptions<GuidelinesOptions> options, Messages.MessageCatalog messages) : IPassageHandler
{
    // Normalised (TextNormalizer) words that put a question on the guideline whatever else it says.
    private static readonly string[] TopicWords =
    [
        "生成ai", "せいせいai", "chatgpt", "ちゃっとgpt", "gpt", "ちゃっとai", "対話型ai", "copilot", "こぱいろっと", "gemini", "llm",
        "手引き", "てびき", "がいどらいん", "ぷろんぷと", "はるしねしょん", "画像生成",
    ];

    // The topic words that are terms the guideline explains, not names of its subject.
    private static readonly string[] TermWords = ["はるしねしょん", "ぷろんぷと", "画像生成"];

    private readonly ConditionalWeakTable<Turn, GuidelineSearch> searches = [];

    /// <summary>A section holding this share of the question's weight holds most of it: as strong as the topic word.</summary>
    private const double MostOfTheQuestion = 0.6;

    public string Name => "staff.guidelines";

    public Audience Audience => Audience.Staff;

    public double Match(Turn turn)
    {
        if (turn.IsPostback || turn.Normalized.Length < 2)
        {
            return 0;
        }

        if (OnTopic(turn.Normalized))
        {
            return 0.8;
        }

        // Without a topic word, a question is taken on the evidence the answer needs: a section holding most of it
        // (「個人情報を入力していい？」) is as strong as the guideline's topic word (0.8), above a KPI's words with nothing asked
        // (0.7) and a keyword mentioned in passing (お知らせ, 問い合わせ: 0.5); one holding just enough to be answered
        // (「代決は誰がする？」 in a city's own rules) competes with a KPI's name (0.6) and is asked about when both fit.
        var search = searches.GetValue(turn, t => library.Current.Search(t.Text));
        var confident = search.Confident(options.Value);
        return confident.Count == 0 ? 0
            : confident[0].Coverage >= MostOfTheQuestion ? 0.8
            : 0.6;
    }

    /// <summary>
    /// A question naming the guideline's subject (生成AI, 手引き) is the guideline's (<see cref="IPassageHandler.Named"/>);
    /// otherwise its best passage's share. Named, the passage's share is added: a question that also names the plan
    /// (「国の計画にある自治体のAI利用推進はプランとどう関係する？」) goes to the document with a passage to quote, not to the
    /// guideline's refusal.
    /// </summary>
    public double Coverage(Turn turn)
    {
        var confident = searches.GetValue(turn, t => library.Current.Search(t.Text)).Confident(options.Value);
        var share = confident.Count == 0 ? 0 : confident[0].Coverage;
        return OnTopic(turn.Normalized) ? IPassageHandler.Named + share : share;
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        if (IsBareTopic(turn.Normalized))
        {
            // 「生成AIの手引き」 from the menu: no question yet, so say what can be asked.
            var m = messages.Current;
            return TurnResult.Of(
                new TextReply(m.Format(GuidelineTexts.Intro, string.Join(m[GuidelineTexts.DocumentSeparator], library.Current.Documents.DefaultIfEmpty(m[GuidelineTexts.DefaultDocument])))),
                Examples());
        }

        var answer = await answerer.AnswerAsync(turn.Text, cancellationToken);
        // Several sections: one answer, the best first (a channel that can fold keeps the others behind a button).
        var replies = answer.Messages.Count > 1
            ? [new PassagesReply(answer.Messages, messages.Current.Format(GuidelineTexts.MorePassages, answer.Messages.Count - 1))]
            : answer.Messages.Select(m => (Reply)new TextReply(m)).ToList();
        if (answer.TooGeneral)
        {
            // 「生成AIを業務で使ってもいいですか」 names only what the whole guideline is about: no one section answers it.
            replies.Add(new TextReply(messages.Current[GuidelineTexts.TooGeneral]));
            replies.Add(Examples());
        }

        return new TurnResult(replies);
    }

    private ChoicesReply Examples()
    {
        var m = messages.Current;
        return new(m[GuidelineTexts.ExamplesPrompt], [new Choice(m[GuidelineTexts.Example1]), new Choice(m[GuidelineTexts.Example2]), new Choice(m[GuidelineTexts.Example3])]);
    }

    private static bool IsBareTopic(string normalized)
    {
        // A term the guideline explains (ハルシネーション, プロンプト) asked about alone is a question of its meaning, not
        // the subject's name from the menu: 「ハルシネーションって何ですか」 is answered from its section.
        if (TermWords.Any(w => normalized.Contains(w, StringComparison.Ordinal)))
        {
            return false;
        }

        var rest = normalized;
        foreach (var word in TopicWords.Append("ai").Concat(BareWords))
        {
            rest = rest.Replace(word, string.Empty, StringComparison.Ordinal);
        }

        return rest.Length <= 1;
    }

    private static readonly string[] BareWords = ["利用の", "利用", "について", "とは", "を", "の", "は", "って", "教えて", "知りたい", "見たい", "ですか", "?"];

    private static bool OnTopic(string normalized) => TopicWords.Any(w => normalized.Contains(w, StringComparison.Ordinal)) || AiWord(normalized);

    /// <summary>"AI" as a word of its own (ＡＩ, AIで), not inside "mail" or "said".</summary>
    private static bool AiWord(string normalized)
    {
        for (var at = normalized.IndexOf("ai", StringComparison.Ordinal); at >= 0; at = normalized.IndexOf("ai", at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsAsciiLetter(normalized[at - 1]);
            var after = at + 2 >= normalized.Length || !char.IsAsciiLetter(normalized[at + 2]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }
}

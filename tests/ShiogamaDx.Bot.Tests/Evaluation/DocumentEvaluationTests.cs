using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Evaluation;

/// <summary>
/// The three evaluation documents (Evaluation/Documents: a ministry-style PDF, an ordinance-style text, a city's Word
/// manual), each alone in the guideline folder of the real host, asked every question of its set as a staff member
/// through the engine. Judged from what the staff member reads: the first 出典 line (hit@1), the first three (hit@3),
/// and the refusal for the questions the document does not answer. The sets were committed before any change was
/// tuned on them; the floors only catch a regression (docs/evaluation.md has the figures and the targets). Run alone:
/// dotnet test ShiogamaDx.Bot.sln --filter "FullyQualifiedName~DocumentEvaluation" --logger "console;verbosity=detailed"
/// </summary>
public sealed partial class DocumentEvaluationTests(ITestOutputHelper output)
{
    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Evaluation", "Documents");

    [Fact]
    public async Task MinistryGuidelinePdf_MeetsTheFloor()
    {
        var result = await EvaluateAsync("denshi-kessai-guideline.pdf", "denshi-kessai-guideline.tsv");

        // Floors: the figures measured, rounded down (docs/evaluation.md), not targets. Added with 0 hit@1 and 5 refused;
        // since Documents/ and the retrieval of issue #18: 41.1 %, 44.6 %, 5 of 15 refused.
        // With the general everyday-word list and MinCoverage 0.45: 55.4 %, 58.9 %, 7 of 15.
        // With what the question asks for (AskedFor) and the strong-coverage route: 57.1 %, 60.7 %, 7 of 15.
        // Routing on evidence (keyword mentions yield, passages compete) and the sample's synonyms kept to the sample (feat/answers, #18 third pass): 60.7 %, 66.1 %, 7 of 15.
        // A KPI reading claims a question only when its words explain the question (KpiQuestionReader.MinExplained, #18 fourth pass): 62.5 %, 67.9 %, 10 of 15.
        // A verb's or a compound's one kanji held wherever it is written (#18 fifth pass), the plan's glossary kept out of other documents' questions: 66.1 %, 73.2 %, 10 of 15.
        // The text before a document's first heading no longer titled by the document's name, and pseudo-relevance feedback (#18 sixth pass): 67.9 %, 73.2 %, 10 of 15.
        // A question's loan words read with their long vowels (データ is a word, no longer デ | タ; #22 seventh pass): 66.1 %, 71.4 %, 10 of 15.
        // Lowered by that one question: データ is now held by four sections that write it, not by the one that answers
        // (it says 媒体), so the question falls under MinCoverage and is refused; the reading is right, the floor follows it.
        // The plan read without the residents' word list no longer answers one uncovered question: 11 of 15 refused.
        // Headings the table of contents names (参考資料, 導入スケジュールの例, 問１…問５) are headings (#18 eighth pass): 75.0 %, 80.4 %, 12 of 15.
        // A number of working days (5業務日以内) answers 何日 (AskedFor, #18 eighth pass): 78.6 %, 83.9 %, 12 of 15.
        // A verb's stem held where it is written with its kana (切替 in 切り替え, #18 eighth pass): 80.4 %, 85.7 %, 12 of 15.
        AssertFloor(result, hit1: 0.80, hit3: 0.85, refused: 12);
    }

    [Fact]
    public async Task OrdinanceStyleText_MeetsTheFloor()
    {
        var result = await EvaluateAsync("shokuin-ryohi-kitei.txt", "shokuin-ryohi-kitei.tsv");

        // Added with 0 hit@1, 14 refused; since issue #18's Documents/ and retrieval: 41.0 %, 45.9 %, 9 of 16 refused.
        // With the general everyday-word list and MinCoverage 0.45: 63.9 %, 65.6 %, 10 of 16.
        // With what the question asks for (AskedFor) and the strong-coverage route: 65.6 %, 67.2 %, 12 of 16.
        // Routing on evidence (keyword mentions yield, passages compete) and the sample's synonyms kept to the sample (feat/answers, #18 third pass): 63.9 %, 67.2 %, 13 of 16.
        // A verb's or a compound's one kanji held wherever it is written (#18 fifth pass), the plan's glossary kept out of other documents' questions: 68.9 %, 77.0 %, 13 of 16.
        // The text before a document's first heading no longer titled by the document's name, and pseudo-relevance feedback (#18 sixth pass): 70.5 %, 77.0 %, 13 of 16.
        // A question asking what a word means held by the sections that define one (AskedFor, #22 seventh pass): 70.5 %, 77.0 %, 14 of 16.
        // A number of working days (５業務日以内) answers 何日 (AskedFor, #18 eighth pass): 72.1 %, 77.0 %, 14 of 16.
        // A verb's stem held where it is written with its kana (#18 eighth pass): 73.8 %, 77.0 %, 14 of 16.
        // A form (様式第３号) cited under its 別記様式 group: 75.4 %, 78.7 %, 14 of 16.
        // The host's word list no longer hides a section's 申請/届け出 from the guideline's synonyms (feat/answers, #18 ninth
        // pass): one question lost, 出張から帰ったら報告は何日以内に: 第６条 writes 届け出 and now ranks above 第９条.
        // 73.8 %, 77.0 %, 14 of 16: the floor is lowered by that one question.
        AssertFloor(result, hit1: 0.73, hit3: 0.77, refused: 14);
    }

    [Fact]
    public async Task CityWordManual_MeetsTheFloor()
    {
        var result = await EvaluateAsync("saigai-shodo-manual.docx", "saigai-shodo-manual.tsv");

        // 0 everywhere: when the set was added the guideline folder did not read .docx at all (every question refused).
        // Since issue #18 (.docx read by Documents/): 45.5 %, 58.2 %, 8 of 14 refused; with the general everyday-word
        // list and MinCoverage 0.45: 60.0 %, 72.7 %, 10 of 14.
        // With what the question asks for (AskedFor) and the strong-coverage route: 63.6 %, 76.4 %, 10 of 14.
        // Routing on evidence (keyword mentions yield, passages compete) and the sample's synonyms kept to the sample (feat/answers, #18 third pass): 61.8 %, 74.5 %, 10 of 14.
        // A KPI reading claims a question only when its words explain the question (KpiQuestionReader.MinExplained, #18 fourth pass): 63.6 %, 76.4 %, 12 of 14.
        // A verb's or a compound's one kanji held wherever it is written (#18 fifth pass), the plan's glossary kept out of other documents' questions: 67.3 %, 74.5 % (one question fell out of the
        // first three: 「発災後どのくらいの時間までの動き…」 is now refused), 12 of 14.
        // The text before a document's first heading no longer titled by the document's name, and pseudo-relevance feedback (#18 sixth pass): 69.1 %, 72.7 %
        // (one more question out of the first three, lowered as a trade for the one more first: measured, not chosen), 12 of 14.
        // A verb's stem held where it is written with its kana (#18 eighth pass): 70.9 %, 74.5 %, 12 of 14.
        AssertFloor(result, hit1: 0.70, hit3: 0.74, refused: 12);
    }

    [Fact]
    public async Task PdfTextAsExtracted_MeetsTheFloor()
    {
        // The same PDF as `pdftotext -layout` gives it (page breaks as form feeds), asked the same questions.
        var result = await EvaluateAsync("denshi-kessai-guideline.pdftotext.txt", "denshi-kessai-guideline.tsv");

        // Added with 0 hit@1, 6 refused; since issue #18: 39.3 %, 42.9 %, 5 of 15 refused.
        // With the general everyday-word list and MinCoverage 0.45: 51.8 %, 55.4 %, 7 of 15.
        // With what the question asks for (AskedFor) and the strong-coverage route: 53.6 %, 57.1 %, 7 of 15.
        // Routing on evidence (keyword mentions yield, passages compete) and the sample's synonyms kept to the sample (feat/answers, #18 third pass): 57.1 %, 62.5 %, 7 of 15.
        // A KPI reading claims a question only when its words explain the question (KpiQuestionReader.MinExplained, #18 fourth pass): 58.9 %, 64.3 %, 10 of 15.
        // A verb's or a compound's one kanji held wherever it is written (#18 fifth pass), the plan's glossary kept out of other documents' questions: 64.3 %, 71.4 %, 10 of 15.
        // The text before a document's first heading no longer titled by the document's name, and pseudo-relevance feedback (#18 sixth pass): 66.1 %, 71.4 %, 10 of 15.
        // A question's loan words read with their long vowels (#22 seventh pass): 64.3 %, 69.6 %, 10 of 15; lowered by the
        // same one question as the PDF (データ read as a word; see MinistryGuidelinePdf_MeetsTheFloor).
        // The plan read without the residents' word list: 11 of 15 refused.
        // Headings the table of contents names are headings (#18 eighth pass): 71.4 %, 76.8 %, 12 of 15.
        // A number of working days (5 業務日以内) answers 何日 (AskedFor, #18 eighth pass): 75.0 %, 80.4 %, 12 of 15.
        // A verb's stem held where it is written with its kana (#18 eighth pass): 76.8 %, 82.1 %, 12 of 15.
        AssertFloor(result, hit1: 0.76, hit3: 0.82, refused: 12);
    }

    [Fact]
    public async Task OrdinanceWithKanjiNumerals_MeetsTheFloor()
    {
        // The same 規程 with its article, chapter and 別表 numbers in kanji (第十二条), as laws and many 例規集 write them.
        var result = await EvaluateAsync("shokuin-ryohi-kitei.kansuji.txt", "shokuin-ryohi-kitei.tsv");

        // Added with 0 hit@1, 13 refused; since issue #18: 42.6 %, 44.3 %, 9 of 16 refused.
        // With the general everyday-word list and MinCoverage 0.45: 63.9 %, 63.9 %, 10 of 16.
        // With what the question asks for (AskedFor) and the strong-coverage route: 67.2 %, 67.2 %, 12 of 16.
        // Routing on evidence (keyword mentions yield, passages compete) and the sample's synonyms kept to the sample (feat/answers, #18 third pass): 65.6 %, 67.2 %, 13 of 16.
        // A verb's or a compound's one kanji held wherever it is written (#18 fifth pass), the plan's glossary kept out of other documents' questions: 68.9 %, 75.4 %, 13 of 16.
        // The text before a document's first heading no longer titled by the document's name, and pseudo-relevance feedback (#18 sixth pass): 70.5 %, 75.4 %, 13 of 16.
        // A question asking what a word means held by the sections that define one (AskedFor, #22 seventh pass): 70.5 %, 75.4 %, 14 of 16.
        // A number of working days answers 何日 (AskedFor, #18 eighth pass): 72.1 %, 75.4 %, 14 of 16.
        // A verb's stem held where it is written with its kana (#18 eighth pass): 73.8 %, 77.0 %, 14 of 16.
        // A form (様式第三号) cited under its 別記様式 group: 75.4 %, 78.7 %, 14 of 16.
        // The host's word list no longer hides a section's 申請/届け出 from the guideline's synonyms (feat/answers, #18 ninth
        // pass): one question lost, 出張から帰ったら報告は何日以内に: 第６条 writes 届け出 and now ranks above 第９条.
        // 73.8 %, 77.0 %, 14 of 16: the floor is lowered by that one question.
        AssertFloor(result, hit1: 0.73, hit3: 0.77, refused: 14);
    }

    [Fact]
    public async Task WordManualWithoutHeadingStyles_MeetsTheFloor()
    {
        // The same manual with its headings typed as bold Normal paragraphs, as many Word files are: only the typed
        // numbering (1., 1.1, （１）) shows the structure.
        var result = await EvaluateAsync("saigai-shodo-manual.plain-headings.docx", "saigai-shodo-manual.tsv");

        // 0 when added (the folder did not read .docx); since issue #18: 45.5 %, 58.2 %, 8 of 14 refused; with the
        // general everyday-word list and MinCoverage 0.45: 60.0 %, 72.7 %, 10 of 14.
        // With what the question asks for (AskedFor) and the strong-coverage route: 63.6 %, 76.4 %, 10 of 14.
        // Routing on evidence (keyword mentions yield, passages compete) and the sample's synonyms kept to the sample (feat/answers, #18 third pass): 61.8 %, 74.5 %, 10 of 14.
        // A KPI reading claims a question only when its words explain the question (KpiQuestionReader.MinExplained, #18 fourth pass): 63.6 %, 76.4 %, 12 of 14.
        // A verb's or a compound's one kanji held wherever it is written (#18 fifth pass), the plan's glossary kept out of other documents' questions: 67.3 %, 74.5 %, 12 of 14.
        // The text before a document's first heading no longer titled by the document's name, and pseudo-relevance feedback (#18 sixth pass): 69.1 %, 72.7 % (one
        // more question out of the first three, as the styled manual), 12 of 14.
        // A verb's stem held where it is written with its kana (#18 eighth pass): 70.9 %, 74.5 %, 12 of 14.
        AssertFloor(result, hit1: 0.70, hit3: 0.74, refused: 12);
    }

    [Fact]
    public async Task AllThreeDocumentsInOneFolder_MeetTheFloor()
    {
        // A city keeps several documents in the folder: each answerable question must still find its own document's
        // section. The sets' "-" questions are left out here, since one document may answer another's (旅費の精算).
        var result = await EvaluateAsync(
            ["denshi-kessai-guideline.pdf", "shokuin-ryohi-kitei.txt", "saigai-shodo-manual.docx"],
            ["denshi-kessai-guideline.tsv", "shokuin-ryohi-kitei.tsv", "saigai-shodo-manual.tsv"],
            answerableOnly: true);

        // 0 % when added, 41.9 % with Documents/ (docs/evaluation.md); 59.9 % hit@1 with the general everyday-word list
        // and MinCoverage 0.45, the first floor.
        Assert.True(result.Answerable >= 150, "the question sets are too small");
        // 63.4 % with what the question asks for (AskedFor) and the strong-coverage route.
        // 66.9 % with routing on evidence and the sample's synonyms kept to the sample (#18 third pass).
        // 68.0 % with a KPI reading claiming only questions its words explain (#18 fourth pass).
        // 71.5 % with a verb's or a compound's one kanji held wherever it is written and the plan's glossary kept out (#18 fifth pass).
        // 71.5 % (123/172) unchanged by the sixth pass (each document alone gains one).
        // 70.9 % (122/172) after the seventh pass: the PDF's question whose データ is now read as a word (see
        // MinistryGuidelinePdf_MeetsTheFloor) is refused here too; the floor follows that one question.
        // 73.3 % (126/172) with the headings the table of contents names (#18 eighth pass).
        // 74.4 % (128/172) with a verb's stem held where it is written with its kana; 75.0 % (129/172) with a form cited
        // under its 別記様式 group.
        Assert.True(result.Hit1 >= 0.75, $"hit@1 {result.Hit1:P1} is under 75%");
    }

    [Theory]
    [InlineData("（出典: ガイドライン ３－１．電子決裁を導入する場面 ＞ （３）運用上のポイント ＞ ② 代決・後閲の扱い）", "3-1. > (3) > ②", true)]
    [InlineData("出典: ガイドライン ３－２．ペーパーレス会議 ＞ （３）運用上のポイント ＞ ② 情報セキュリティの確保", "3-1. > (3) > ②", false)]
    [InlineData("出典: ガイドライン ② 代決・後閲の扱い", "3-1. > (3) > ②", false)]
    [InlineData("出典: 旅費規程 第１２条（車賃及びバス賃）", "第12条", true)]
    [InlineData("出典: 旅費規程 第１２条（車賃及びバス賃）", "第1条", false)]
    [InlineData("出典: 旅費規程 第１条（趣旨）", "第12条 | 第1条", true)]
    [InlineData("出典: 旅費規程 第三章 国内旅行の旅費 ＞ 第十二条（車賃及びバス賃）", "第12条", true)]
    [InlineData("出典: 旅費規程 第二十九条（外国旅行）", "第29条", true)]
    [InlineData("出典: 旅費規程 第二条（定義）", "第29条", false)]
    [InlineData("出典: 旅費規程 別表第一（第十五条、第十六条関係）", "別表第1", true)]
    [InlineData("出典: マニュアル 3. 参集 ＞ 3.1 参集場所", "1.総則", false)]
    [InlineData("出典: マニュアル 3.2 参集の方法 ＞ （２）参集途上の行動", "3.2 > (2)", true)]
    [InlineData("出典: マニュアル 3.2.1 移動手段", "3.2", false)]
    [InlineData("出典: マニュアル 8 問い合わせ先", "8.問い合わせ先", true)]
    [InlineData("出典: 参考資料 基本方針2 施策8", "8.問い合わせ先", false)]
    [InlineData("出典: ガイドライン １ はじめに", "1.はじめに > (1)", false)]
    [InlineData("出典: ガイドライン １．はじめに ＞ （１）背景", "1.はじめに > (1)", true)]
    [InlineData("出典: ガイドライン ３－１ 電子決裁 ＞ （１）導入の準備", "1 > (1)", false)]
    [InlineData("出典: ガイドライン ２ 基本 ＞ （１）目的 ＞ （１）再掲", "1 > (1)", false)]
    public void Citation_MatchesTheExpectedPath_AsDocumentedInTheSets(string citation, string expected, bool matches) =>
        Assert.Equal(matches, Matches(citation, expected));

    private static void AssertFloor(Figures result, double hit1, double hit3, int refused)
    {
        Assert.True(result.Answerable >= 32 && result.Unanswerable >= result.Questions / 5, "the question set is too small");
        Assert.True(result.Hit1 >= hit1, $"hit@1 {result.Hit1:P1} is under {hit1:P0}");
        Assert.True(result.Hit3 >= hit3, $"hit@3 {result.Hit3:P1} is under {hit3:P0}");
        Assert.True(result.Refused >= refused, $"only {result.Refused} of {result.Unanswerable} uncovered questions were refused (floor {refused})");
    }

    private Task<Figures> EvaluateAsync(string document, string questionsFile) => EvaluateAsync([document], [questionsFile], answerableOnly: false);

    private async Task<Figures> EvaluateAsync(string[] documents, string[] questionFiles, bool answerableOnly)
    {
        var questions = questionFiles
            .SelectMany(f => File.ReadAllLines(Path.Combine(Folder, f)))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (Question: p[0].Trim(), Expected: p[1].Trim()))
            .Where(q => !answerableOnly || q.Expected != "-")
            .ToList();

        // Only these documents in the guideline folder: what the city would do with its own files.
        var guidelines = Path.Combine(Path.GetTempPath(), "shiogama-dx-tests", "documents-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(guidelines);
        foreach (var document in documents)
        {
            File.Copy(Path.Combine(Folder, document), Path.Combine(guidelines, document));
        }

        try
        {
            using var app = new BotApplication(new Dictionary<string, string?> { ["Guidelines:Path"] = guidelines });
            var (refusalOpening, notUnderstood) = Refusals(app);

            int answerable = 0, hit1 = 0, hit3 = 0, unanswerable = 0, refused = 0;
            var misses = new StringBuilder();
            for (var i = 0; i < questions.Count; i++)
            {
                var (question, expected) = questions[i];
                var text = ReplyText.Of(await app.SayAsync(Audience.Staff, $"evaluation-{i}", question));
                var citations = Citations(text);
                var wasRefused = IsRefusal(text, citations, refusalOpening, notUnderstood);
                var got = citations.Count > 0 ? string.Join(" | ", citations) : wasRefused ? "(refused)" : "(other: " + Clip(text) + ")";
                if (expected == "-")
                {
                    unanswerable++;
                    if (wasRefused)
                    {
                        refused++;
                    }
                    else
                    {
                        misses.AppendLine(CultureInfo.InvariantCulture, $"NOT-REFUSED\t{question}\t→ {got}");
                    }

                    continue;
                }

                answerable++;
                var first = citations.Count > 0 && Matches(citations[0], expected);
                var inThree = citations.Take(3).Any(c => Matches(c, expected));
                hit1 += first ? 1 : 0;
                hit3 += inThree ? 1 : 0;
                if (!first)
                {
                    misses.AppendLine(CultureInfo.InvariantCulture, $"{(inThree ? "MISS@1" : "MISS@3")}\t{question}\twant {expected}\t→ {got}");
                }
            }

            var figures = new Figures(questions.Count, answerable, (double)hit1 / answerable, (double)hit3 / answerable, unanswerable, refused);
            output.WriteLine(misses.ToString());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(" + ", documents)}: {questions.Count} questions; answerable {answerable}: hit@1 {hit1} ({figures.Hit1:P1}), hit@3 {hit3} ({figures.Hit3:P1}); " +
                $"not covered {unanswerable}: refused {refused} ({(unanswerable == 0 ? 0 : (double)refused / unanswerable):P1})"));
            return figures;
        }
        finally
        {
            Directory.Delete(guidelines, recursive: true);
        }
    }

    /// <summary>
    /// What a refusal opens with in this host: the guideline's not-found answer (to its first 。) and the staff menu's
    /// 「分かりませんでした」. Shared with the plan sets and the calibration harness, so that all judge alike.
    /// </summary>
    internal static (string RefusalOpening, string NotUnderstood) Refusals(BotApplication app)
    {
        var refusal = app.WithScope(s => s.GetRequiredService<GuidelineAnswerer>().Refusal);
        return (refusal[..(refusal.IndexOf('。', StringComparison.Ordinal) + 1)], app.Services.GetRequiredService<DialogCatalog>().Menus.Staff.NotUnderstood);
    }

    /// <summary>A refusal: no 出典, and the guideline's not-found answer or the staff menu's 「分かりませんでした」.</summary>
    internal static bool IsRefusal(string text, IReadOnlyList<string> citations, string refusalOpening, string notUnderstood) =>
        citations.Count == 0 && (text.StartsWith(refusalOpening, StringComparison.Ordinal) || text.StartsWith(notUnderstood, StringComparison.Ordinal));

    /// <summary>Every 出典 line of the answer, in order, from after 「出典:」 to the end of the line.</summary>
    internal static List<string> Citations(string text) =>
        text.Split('\n')
            .Select(l => l.IndexOf("出典", StringComparison.Ordinal) is var at and >= 0 ? l[(at + 2)..].TrimStart(':', '：', ' ', '\u3000') : null)
            .OfType<string>()
            .ToList();

    /// <summary>
    /// The rule written in the head of every question set: NFKC (circled numbers kept) and no whitespace on both sides;
    /// each " > " part in order; a part starting or ending with a digit does not match inside a longer number.
    /// </summary>
    internal static bool Matches(string citation, string expected)
    {
        var text = Normalize(citation);
        return expected.Split(" | ").Any(alternative =>
        {
            var at = 0;
            foreach (var part in alternative.Split(" > ").Select(Normalize))
            {
                var found = Find(text, part, at);
                if (found < 0)
                {
                    return false;
                }

                at = found + part.Length;
            }

            return true;
        });
    }

    private static int Find(string text, string part, int from)
    {
        for (var at = text.IndexOf(part, from, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            var end = at + part.Length;
            // "1" is not the 1 of "3-1", "1.1", "11" or "(1)"; "3.2" is not the start of "3.2.1".
            var glued = (char.IsAsciiDigit(part[0]) && at > 0 && (char.IsAsciiDigit(text[at - 1]) || text[at - 1] is '-' or '.' or '('))
                || (char.IsAsciiDigit(part[^1]) && end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == ')' || (text[end] == '.' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1]))));
            if (!glued)
            {
                return at;
            }
        }

        return -1;
    }

    private static string Normalize(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c is >= '①' and <= '⑳')
            {
                sb.Append(c); // NFKC would turn ② into 2
            }
            else if (!char.IsWhiteSpace(c))
            {
                sb.Append(c.ToString().Normalize(NormalizationForm.FormKC));
            }
        }

        // "１．はじめに" and "１ はじめに" are the same heading number: a dot after a number ends it, unless a number follows.
        var text = NumberDot().Replace(sb.ToString().Replace("＞", ">", StringComparison.Ordinal), "$1");

        // 第十二条 (laws and many 例規 write numbers in kanji) is 第12条.
        return KanjiOrdinal().Replace(text, m => "第" + KanjiNumber(m.Groups[1].Value).ToString(CultureInfo.InvariantCulture));
    }

    private static int KanjiNumber(string kanji)
    {
        const string digits = "〇一二三四五六七八九";
        var ten = kanji.IndexOf('十', StringComparison.Ordinal);
        if (ten < 0)
        {
            return kanji.Aggregate(0, (n, c) => (n * 10) + digits.IndexOf(c, StringComparison.Ordinal));
        }

        var tens = ten == 0 ? 1 : digits.IndexOf(kanji[ten - 1], StringComparison.Ordinal);
        var ones = ten == kanji.Length - 1 ? 0 : digits.IndexOf(kanji[ten + 1], StringComparison.Ordinal);
        return (tens * 10) + ones;
    }

    [GeneratedRegex("第([〇一二三四五六七八九十]+)")]
    private static partial Regex KanjiOrdinal();

    [GeneratedRegex(@"(\d)\.(?!\d)")]
    private static partial Regex NumberDot();

    private static string Clip(string text)
    {
        var line = text.Split('\n')[0];
        return line.Length <= 40 ? line : line[..40] + "…";
    }

    private sealed record Figures(int Questions, int Answerable, double Hit1, double Hit3, int Unanswerable, int Refused);
}

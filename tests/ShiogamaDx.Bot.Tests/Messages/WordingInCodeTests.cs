using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ShiogamaDx.Bot.Tests.Conversations;

namespace ShiogamaDx.Bot.Tests.Messages;

/// <summary>
/// What people read lives in Content/messages.yaml, not in C#: in the folders whose wording has moved, a Japanese
/// string literal is allowed only where the bot reads Japanese (a pattern, a Contains/StartsWith/IndexOf, a regex
/// attribute, a field named …Words listing the words it recognises) or tells an operator why a file was refused
/// (an exception). Anything else would be a sentence a handler says, so the test names its file and line.
/// </summary>
public sealed partial class WordingInCodeTests
{
    /// <summary>
    /// Every folder with something people read. Documents/ and Language/ are left out: they read Japanese (headings,
    /// number forms, kana tables) and say nothing.
    /// </summary>
    public static TheoryData<string> MovedFolders() => new()
    {
        "Conversations", "Classes", "Surveys", "Guidelines", "Assistant", "Handoff", "Announcements", "Line", "Staff", "Inbox",
        "Procedures", "Plan", "Guides", "Admin", "Localization", "Cli", "Hosting", "Data", "Messages", "Content", "Kpis",
    };

    /// <summary>Literals that stay, each with its reason.</summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["Offers.cs:From"] = "the label a typed answer is matched against (ボタン名（カード名）), never sent",
        ["ClassTime.cs:Day"] = "the date format (12月5日(土)), shared with the operator's check output",
        ["ClassTime.cs:Span"] = "the time format (10:00〜12:00)",
        ["ClassTime.cs:Weekdays"] = "the weekday names of the date format",
        ["ClassesExtensions.cs:Usage"] = "operator command help",
        ["ClassesExtensions.cs:RunAsync"] = "operator command output (check classes FILE)",
        ["GuidelineSection.cs:Citation"] = "the citation form (出典: …) the LLM is asked to copy and LlmOutput and the Teams renderer read back",
        ["GuidelinesOptions.cs:Contact"] = "the default of a setting (Guidelines:Contact), not a sentence",
        ["LineRenderer.cs:SplitText"] = "the full stop a long text is split after, never sent on its own",
        ["RichMenuRenderer.cs:BoldCandidates"] = "a font file's path on macOS",
        ["RichMenuRenderer.cs:RegularCandidates"] = "a font file's path on macOS",
        ["ImportProceduresCommand.cs:RunAsync"] = "operator command output (import/export procedures FILE), in Japanese and English",
        ["PlanSections.cs:Refine"] = "section labels built from the plan's own headings (基本方針1 施策2), cited as the plan names them",
        ["LanguageDetector.cs:ChineseOnly"] = "characters only Simplified Chinese uses, read to tell Chinese from Japanese",
        ["EasyIndex.cs:Plain"] = "polite verb endings (ました, ます) an easy question is read without, never sent",
        ["EasyIndex.cs:PlainPast"] = "the plain past endings (んだ, った …) a polite verb is read as, never sent",
        ["EasyIndex.cs:PlainPresent"] = "the plain present endings a polite verb is read as, never sent",
        ["EasyIndex.cs:ReadElsewhere"] = "the particles (へ, から) a place a question moves to or from is read with, never sent",
        ["EasyJapaneseLinter.cs:Everyday"] = "the everyday kanji list the linter reads",
        ["EasyJapaneseLinter.cs:Check"] = "the linter's findings for the person writing easy versions (check content)",
        ["EasyJapaneseLinter.cs:WithoutReadings"] = "the reading pattern （よみ） the linter removes",
        ["MachineTranslator.cs:LanguageNames"] = "the target language named to the LLM, never sent to residents",
        ["BotCommands.cs:RunBotAsync"] = "operator command output (the host cannot start)",
        ["CheckContentCommand.cs:RunAsync"] = "operator command output (check content)",
        ["TerminalChat.cs:RunAsync"] = "the terminal trial's own frame (its banner)",
        ["TerminalChat.cs:TalkAsync"] = "the first メニュー the terminal trial sends as the person",
        ["TerminalChat.cs:Render"] = "the terminal's marker for an image it cannot show",
        ["GuideFile.cs:Parse"] = "the reason the content check gives the person editing guides.yaml",
        ["ClassDialogActions.cs:Needs"] = "the reason the content check gives the person editing the survey",

        // Kpis/: the question reader's vocabulary stays in C# beside the logic that weighs it (cue order, ties, plan
        // words): it is how questions are read, measured by the KPI evaluation sets, not something the bot says.
        ["KpiQuestionReader.cs:Cues"] = "the cue words the question reader matches to tell what is asked, never sent",
        ["KpiQuestionReader.cs:PastEndings"] = "endings the reader matches to tell a question about what happened",
        ["KpiQuestionReader.cs:PastChangeEndings"] = "endings the reader matches to tell a question about a change",
        ["KpiQuestionReader.cs:ReadPrepared"] = "the mark a matched word is replaced with before names are read, never sent",
        ["KpiQuestionReader.cs:Strip"] = "the mark a removed year is replaced with (and the particle after it), never sent",
        ["KpiQuestionReader.cs:RemoveCues"] = "the mark a cue word is replaced with, never sent",
        ["KpiQuestionReader.cs:DepartmentsOf"] = "the plan's 「各担当課」, which names no department the reader can match",
        ["FiscalYears.cs:Label"] = "the fiscal year's form (令和8年度), the plan's own; FiscalYears.Find reads the same form back",
        ["FiscalYears.cs:Prepare"] = "a range sign becomes 「から」 before the question is read, never sent",
        ["FiscalYears.cs:KanjiNumber"] = "the kanji numerals the reader turns into digits (元年, 十二年)",
        ["KpiCatalog.cs:MeasureLabel"] = "the plan's own section labels (基本方針1 施策2), cited as the plan names them and read by the question reader",
        ["KpiCatalog.cs:PlanLabel"] = "the plans' own names, cited as the plan documents name themselves",
        ["KpiService.cs:Achieved"] = "the achievement status, the plan's own word (kpis.yaml's results use it too), compared in code and a CSS class of the dashboard",
        ["KpiService.cs:NotAchieved"] = "the achievement status 未達, as above",
        ["KpiService.cs:Undetermined"] = "the achievement status 未確定, as above",
        ["KpiService.cs:NoTarget"] = "the achievement status 目標なし, as above",
        ["KpiService.cs:UnitSuffix"] = "the unit 人（累計） of kpis.yaml shown after a figure as 人, not a sentence",
        ["KpiDashboard.cs:Style"] = "the style sheet's classes named after the achievement statuses (.s-達成), hashed for the CSP",
        ["KpiHandler.cs:UpdateSentence"] = "the update sentence a choice sends back as if typed: the question reader must read it (ReadUpdate)",
        ["AskedFor.cs:Number"] = "the digits and kanji numerals a stated quantity begins with, read, never sent",
        ["AskedFor.cs:IsMeaning"] = "the concept word of a question asking what a word means, compared, never sent",
        ["SectionKinds.cs:Kinds"] = "the asking words and heading words by which the kind of section a question asks for is read (なぜ → はじめに・背景), read to rank sections, never sent",
        ["AskedFor.cs:Kinds"] = "the quantity words a question asks with and a section states (何日, 7日), read to rank sections, never sent",
        ["KpiChart.cs:Candidates"] = "a font file's path on macOS",
        ["KpiChart.cs:Load"] = "the glyphs a font must have to draw a chart, never shown",
        ["KpisExtensions.cs:ListAsync"] = "operations API error (English, with the year form as an example)",
        ["KpisExtensions.cs:ImportAsync"] = "operations API error of the CSV import (English, with the year form as an example)",
    };

    private static readonly HashSet<string> ReadingCalls = ["Contains", "ContainsAny", "StartsWith", "EndsWith", "IndexOf", "Has", "Equals", "IsMatch", "TrimEnd", "TrimStart", "Trim"];

    [Theory]
    [MemberData(nameof(MovedFolders))]
    public void Folder_SaysNothingFromALiteral(string folder)
    {
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", folder), "*.cs", SearchOption.AllDirectories))
        {
            offenders.AddRange(Offenders(File.ReadAllText(file), Path.GetFileName(file)));
        }

        Assert.True(offenders.Count == 0, "Japanese text in C# (move it to Content/messages.yaml):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TheCheck_FindsASentenceAHandlerReturns_AndLetsWordsItReads()
    {
        const string code = """
            class H
            {
                private static readonly string[] GreetingWords = ["こんにちは"];
                private static readonly string[] Replies = ["またどうぞ"];
                object A(string t) => t is "はい" or "ええ" ? new TextReply("受け付けました。") : t.Contains("予約") ? $"{t}です" : "ok";
                void B() => throw new InvalidOperationException("ファイルが壊れています");
            }
            """;

        var found = Offenders(code, "H.cs");

        Assert.Equal(["H.cs:4: \"またどうぞ\"", "H.cs:5: \"受け付けました。\"", "H.cs:5: $\"{t}です\""], found);
    }

    private static List<string> Offenders(string code, string fileName)
    {
        var root = CSharpSyntaxTree.ParseText(code).GetRoot();
        var offenders = new List<string>();
        var literals = root.DescendantNodes().Where(n => n is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } or InterpolatedStringExpressionSyntax);
        foreach (var literal in literals)
        {
            if (literal.Ancestors().OfType<InterpolatedStringExpressionSyntax>().Any())
            {
                continue; // judged as part of the whole interpolated string
            }

            var text = literal is InterpolatedStringExpressionSyntax interpolated
                ? string.Concat(interpolated.Contents.OfType<InterpolatedStringTextSyntax>().Select(t => t.TextToken.ValueText))
                : ((LiteralExpressionSyntax)literal).Token.ValueText;
            if (!Japanese().IsMatch(text) || IsReading(literal) || IsAllowed(literal, fileName))
            {
                continue;
            }

            var line = literal.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            offenders.Add($"{fileName}:{line}: {literal}");
        }

        return offenders;
    }

    private static bool IsReading(SyntaxNode literal)
    {
        foreach (var node in literal.Ancestors())
        {
            switch (node)
            {
                case PatternSyntax or AttributeSyntax or ThrowExpressionSyntax or ThrowStatementSyntax:
                    return true;
                case ObjectCreationExpressionSyntax creation when creation.Type.ToString().EndsWith("Exception", StringComparison.Ordinal):
                    return true;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } when ReadingCalls.Contains(access.Name.Identifier.ValueText):
                    return true;
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } when ReadingCalls.Contains(name.Identifier.ValueText):
                    return true;
                case VariableDeclaratorSyntax declarator when declarator.Identifier.ValueText.EndsWith("Words", StringComparison.Ordinal):
                    return true;
                case PropertyDeclarationSyntax property when property.Identifier.ValueText.EndsWith("Words", StringComparison.Ordinal):
                    return true;
                case MemberDeclarationSyntax or StatementSyntax:
                    return false; // the literal's own statement or member is not one that reads
                default:
                    break;
            }
        }

        return false;
    }

    private static bool IsAllowed(SyntaxNode literal, string fileName)
    {
        var member = literal.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault() switch
        {
            FieldDeclarationSyntax f => f.Declaration.Variables.First().Identifier.ValueText,
            PropertyDeclarationSyntax p => p.Identifier.ValueText,
            MethodDeclarationSyntax m => m.Identifier.ValueText,
            _ => string.Empty,
        };
        return Allowed.ContainsKey($"{fileName}:{member}");
    }

    [GeneratedRegex(@"[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}「」。、（）]")]
    private static partial Regex Japanese();
}

using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Guides;
using ShiogamaDx.Bot.Localization;
using ShiogamaDx.Bot.Procedures;
using ShiogamaDx.Bot.Tests.Conversations;
using ShiogamaDx.Bot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ShiogamaDx.Bot.Tests.Evaluation;

/// <summary>
/// Issue #24's sets (Languages/, committed before the feature): each question asked of the real host with its bundled
/// content by a new resident, who for the やさしい日本語 set first asks for it (「やさしい日本語で」). Right when the first
/// answer is the expected one: the procedure of the first card shown (its buttons name it), or the class schedule.
/// Run alone: dotnet test ShiogamaDx.Bot.sln --filter "FullyQualifiedName~LanguageEvaluation" --logger "console;verbosity=detailed"
/// </summary>
public sealed class LanguageEvaluationTests(ITestOutputHelper output)
{
    // Floors: the figures measured (docs/evaluation.md), rounded down; before the feature (no language packs): easy
    // 42/60, en 0/30, zh 3/30, ko 0/30, vi 0/30, pt 0/30, tl 0/30. Target 90 %. The fresh sets: before the easy index
    // and the foreign index's function words easy-fresh 36/57, pt-fresh 23/25, tl-fresh 17/25; after 38/57, 22/25, 23/25.
    // With easy.yaml keywords: for every procedure (0b55565): easy 50/60 -> 54/60, easy-fresh 38/57 -> 41/57.
    // Han-only Chinese told by words Japanese writes otherwise (之前, 我, 是 …): zh 28/30 -> 29/30.
    // Easy phrases matched whole, verbs by their stems, the easy words over another feature only when clearly surer
    // (sixth #24 session, 93c2600 … a821be8): easy 54/60 -> 57/60, easy-fresh 41/57 -> 49/57. Portuguese verb and
    // noun endings taken off (mudar, mudança → mud): pt 25/30 -> 26/30, pt-fresh 22/25 unchanged.
    // Seventh session (497cc91 … e63b757: easy versions for every procedure, the word before the city's name, more
    // Portuguese endings, names and keywords found whole, polite verbs read plain): easy-fresh 49 -> 51/57, easy-blind 33 -> 36/48, pt 26 -> 28/30,
    // pt-fresh 22 -> 24/25, pt-blind 12 -> 13/15, tl 25 -> 26/30, tl-fresh 23 -> 24/25, vi 27 -> 28/30; the rest unchanged.
    // Tenth session: an entry whose own name or keyword the question holds whole passes at half the floor (3d8085b):
    // pt 28 -> 29/30, tl 26 -> 27/30, the rest unchanged. Vietnamese typed with tones read with them (8ccc158): vi 29 -> 30/30.
    [Theory]
    [InlineData("easy", 0.96)]
    [InlineData("en", 1.0)]
    [InlineData("zh", 1.0)]
    [InlineData("ko", 1.0)]
    [InlineData("vi", 1.0)]
    [InlineData("pt", 1.0)]
    [InlineData("tl", 0.90)]
    // Dev sets of the thirteenth session (written and committed before its changes; tuned on): floors as first measured
    // (easy-dev3 6/15, en-dev3 7/10, pt-dev3 6/12, tl-dev3 10/15, vi-dev3 12/15). Places read as another city in
    // lower case, in several syllables, after Vietnamese đến/về/sang, after Tagalog sa only in a question of moving;
    // English -ing/-ed, Portuguese -amento, Tagalog nagka-: en-dev3 9/10, pt-dev3 10/12, tl-dev3 12/15, vi-dev3 14/15.
    // Easy everyday words for near neighbours (すこしの あいだ, とりに, かりる, なくなった, もんく, ひりょう …): easy-dev3
    // 6 -> 12/15, easy-blind 39 -> 46/48, easy-fresh 53 -> 54/57 (floors of both raised), easy 58/60 unchanged.
    [InlineData("easy-dev3", 0.86)]
    [InlineData("en-dev3", 0.90)]
    [InlineData("pt-dev3", 0.83)]
    [InlineData("tl-dev3", 0.80)]
    [InlineData("vi-dev3", 1.0)]
    // Dev sets of the fourteenth session (written and committed before its changes; tuned on): floors as first measured
    // (on 0468aec: easy-dev4 25/28, vi-dev4 14/14, tl-dev4 11/14, zh-dev4 9/14, ko-dev4 12/14). A Han character outside
    // Shift_JIS read as Chinese, an easy question's unknown place before に/へ/から read as another city, the bulky-waste
    // items translated (3a24b1f … 84dcc99): easy-dev4 26/28, easy-dev3 13/15, zh-dev4 11/14, ko-dev4 13/14, zh 30/30;
    // held-out (run once, totals only) easy-blind 46 -> 47/48, every fresh and fresh2 set unchanged (floors raised to these).
    [InlineData("easy-dev4", 0.96)]
    [InlineData("vi-dev4", 1.0)]
    [InlineData("tl-dev4", 0.78)]
    [InlineData("zh-dev4", 0.85)]
    [InlineData("ko-dev4", 0.92)]
    // Fifteenth session: one judge for every set (RunWithNoneAsync): a guide's answer read first counts as the guide, as
    // the residents' probes judge it; the fresh and blind sets are held out, so only their totals are printed. Every
    // figure stayed as it was (on 7407769); floors under a figure by more than rounding raised to it: easy 58/60,
    // pt 30/30, pt-fresh 24/25, tl-fresh 24/25, pt-blind 13/15, tl-blind 11/13, tl-fresh2 19/24, vi-fresh2 19/22,
    // vi-dev3 15/15, easy-dev4 27/28.
    // Seventeenth session: the held-out sets' floors (fresh, blind, fresh2) set two questions under their figures at
    // session 16's merge (easy-fresh 54/57, pt-fresh 24/25, tl-fresh 25/25, easy-blind 47/48, pt-blind 13/15, tl-blind
    // 12/13, easy-fresh2 35/48, pt-fresh2 21/26, tl-fresh2 19/24, vi-fresh2 19/22): a floor at the exact figure failed
    // on any one question moving, which made held-out sets decide reverts; they guard against a collapse only.
    public Task LanguageSet_IsAnsweredRightFirst_AtLeastTheFloor(string language, double floor) => RunWithNoneAsync(language, floor, heldOut: false);

    /// <summary>
    /// The older held-out sets (fresh, blind, fresh2), apart from the dev sets above so that a run of the dev rows
    /// (<c>--filter "FullyQualifiedName~LanguageSet_IsAnsweredRightFirst"</c>) never prints a held-out total: only
    /// their totals are printed, and their floors guard against a collapse.
    /// </summary>
    [Theory]
    // Fresh held-out sets (written by another engineer before the change that measures them).
    [InlineData("easy-fresh", 0.91)]
    [InlineData("pt-fresh", 0.87)]
    [InlineData("tl-fresh", 0.91)]
    // Held-out sets of the sixth session (written before its changes, run once at its end, after 0a721f8): easy-blind
    // 33/48 (part 1 21/28, part 2 12/20), pt-blind 12/15, tl-blind 10/13.
    [InlineData("easy-blind", 0.93)]
    // Eighth session: how wholly a question holds an entry's own name or keyword weighs in (ForeignIndex.NameWeight):
    // ko 28 -> 30/30, vi 28 -> 29/30, pt-blind 13 -> 12/15 (a tie between birth registration and baby checkups, both
    // holding half a keyword of "bebê", flipped), the rest unchanged; pt-blind's floor lowered for that one question.
    // English plurals without s (children → child): en 29 -> 30/30. The easy phrase lift reads the question plain too
    // (しにました → しんだ): easy-fresh 51 -> 52/57.
    [InlineData("pt-blind", 0.73)]
    [InlineData("tl-blind", 0.76)]
    // Held-out sets of the seventh session (written and committed before its changes, 43f5743): before (fcc514f's
    // code) easy-fresh2 33/48, pt-fresh2 17/26, tl-fresh2 15/24, vi-fresh2 17/22; after (0d689f4) 34/48, 19/26, 18/24, 17/22.
    // Eighth session (after 417551e, totals only, misses not read): 34/48, 19/26, 18/24, 18/22.
    // Tenth session (after 1c558cb and after 8ccc158, totals only, misses not read): 34/48, 20/26, 18/24, 18/22.
    // Thirteenth session (after 57b4aa0, run once, totals only, misses not read): 35/48, 21/26, 18/24, 18/22.
    [InlineData("easy-fresh2", 0.68)]
    [InlineData("pt-fresh2", 0.73)]
    [InlineData("tl-fresh2", 0.70)]
    [InlineData("vi-fresh2", 0.77)]
    public Task OlderHeldOutLanguageSet_TotalsOnly_AtLeastTheFloor(string language, double floor) => RunWithNoneAsync(language, floor, heldOut: true);

    /// <summary>
    /// Held-out sets of the fourteenth session (resident-*-fresh3-questions.tsv, written from the content only and committed
    /// before any change of that session, 57c55c7). Unlike the sets above they may expect none (not covered: no procedure
    /// card, no class schedule) and, in やさしい日本語, guide:&lt;id&gt; (a guide's answer read first, as the residents' probes
    /// judge it); and only their totals are printed, never a question, so that their misses stay unread. The floors only
    /// guard against a collapse; the figures are in docs/evaluation.md.
    /// </summary>
    // Before: run once on main 0468aec (a348c77), totals only: easy-fresh3 42/49, en-fresh3 21/25, zh-fresh3 19/25,
    // ko-fresh3 22/25, vi-fresh3 19/24, pt-fresh3 19/24, tl-fresh3 21/24. Floors about 20 points under those.
    [Theory]
    [InlineData("easy-fresh3", 0.65)]
    [InlineData("en-fresh3", 0.65)]
    [InlineData("zh-fresh3", 0.55)]
    [InlineData("ko-fresh3", 0.65)]
    [InlineData("vi-fresh3", 0.60)]
    [InlineData("pt-fresh3", 0.60)]
    [InlineData("tl-fresh3", 0.65)]
    public Task HeldOutLanguageSet_TotalsOnly_AtLeastTheFloor(string language, double floor) => RunWithNoneAsync(language, floor, heldOut: true);

    /// <summary>
    /// Dev sets judged as the held-out ones above (none expected where the content has no answer), with their misses
    /// printed: resident-*-dev5-questions.tsv, about half not covered (visa, driving licence, bank, phone plan …), written
    /// by "refuse" in session 14 before its change to the foreign index.
    /// </summary>
    [Theory]
    // Before (on 819d77e): en-dev5 8/14, zh-dev5 7/14, ko-dev5 7/14, vi-dev5 7/14, pt-dev5 9/14, tl-dev5 6/14 (not covered
    // 4/42 in all). After the foreign index's two refusals (an entry holding little of its names and explaining little
    // of the question): 8, 11, 12, 11, 10, 8/14 (not covered 20/42), no covered question lost. Floors: those, rounded down.
    [InlineData("en-dev5", 0.85)]
    [InlineData("zh-dev5", 0.85)]
    [InlineData("ko-dev5", 0.85)]
    [InlineData("vi-dev5", 0.78)]
    [InlineData("pt-dev5", 0.71)]
    [InlineData("tl-dev5", 0.85)]
    // Fifteenth session: the refusal's LooseCoverage calibrated on every dev set at once (0.6 -> 0.8): tl-dev5 8 -> 9/14.
    // Han-only Chinese told by everyday words Japanese writes otherwise (明天, 孩子, 搬家, 疫苗 …): zh-dev4 11 -> 12/14
    // (floor there). Nothing else changed on the dev sets.
    // Dev sets of the fifteenth session (resident-*-dev6-questions.tsv, half not covered: electricity, trains, consulate,
    // food shops, a lost wallet, a doctor in one's language …), written and committed before its changes (d7347d5); floors: first
    // measured there (en-dev6 8/14, zh-dev6 13/14, ko-dev6 11/14, vi-dev6 10/14).
    [InlineData("en-dev6", 0.78)]
    [InlineData("zh-dev6", 0.92)]
    [InlineData("ko-dev6", 0.92)]
    [InlineData("vi-dev6", 0.71)]
    // Dev sets of the sixteenth session (resident-{en,zh,easy}-dev7-questions.tsv, a third not covered; births and moves
    // abroad in other words, Han-only Chinese without a listed word), written and committed before its changes (ffc2141);
    // floors: first measured there (en-dev7 10/16, zh-dev7 8/16, easy-dev7 12/16). After everyday wording for births and
    // moves abroad in every pack's keywords, and a few everyday words (0ee74c4 … 997c9b6): en-dev7 11/16, zh-dev7 12/16,
    // easy-dev7 13/16 (floors there); en-dev3 10/10, en-dev5 9/14, en-dev6 9/14, ko-dev4 14/14, ko-dev6 12/14, pt-dev3
    // 12/12, tl-dev3 14/15, tl-dev4 14/14, tl-dev5 10/14, vi-dev6 11/14, zh-dev4 13/14, easy 59/60, easy-dev3 14/15; the
    // rest unchanged. Held out (run once after, totals only): easy-fresh3 42 -> 43/49, en-fresh3 21 -> 22/25, zh-fresh3
    // 22 -> 23/25, tl-fresh 24 -> 25/25, tl-blind 11 -> 12/13, the rest unchanged.
    [InlineData("en-dev7", 0.68)]
    [InlineData("zh-dev7", 0.75)]
    [InlineData("easy-dev7", 0.87)]
    // Dev sets of the seventeenth session (resident-*-dev8-questions.tsv, 16 each (easy 15), a third not covered, covered
    // questions in new wording; zh with three in characters Japanese also has, easy with しやくしょ around the question),
    // written and committed before its changes (a8edb9f); floors: first measured there (on b640f58's code: en-dev8 11/16,
    // zh-dev8 12/16, ko-dev8 14/16, vi-dev8 13/16, pt-dev8 14/16, tl-dev8 13/16, easy-dev8 9/15). What a question is
    // about must be explained by an entry that holds little of its own names (ForeignIndex.AboutName; en, pt, tl) and
    // the easy pack's framing words (しやくしょ) read as where, not what about (EasyIndex.WithoutFraming): en-dev5 9 ->
    // 12/14, en-dev6 9 -> 11/14, en-dev8 11 -> 13/16, pt-dev8 14 -> 15/16, tl-dev5 10 -> 12/14, tl-dev8 13 -> 15/16,
    // easy-dev7 13 -> 14/16, easy-dev8 9 -> 10/15; the rest unchanged (floors of those raised to these).
    [InlineData("en-dev8", 0.81)]
    [InlineData("zh-dev8", 0.75)]
    [InlineData("ko-dev8", 0.87)]
    [InlineData("vi-dev8", 0.81)]
    [InlineData("pt-dev8", 0.93)]
    [InlineData("tl-dev8", 0.93)]
    [InlineData("easy-dev8", 0.66)]
    // Dev sets of the eighteenth session (resident-{pt,ko,vi,zh,easy}-dev9-questions.tsv, a third not covered; pt with
    // names said as compounds, noun de noun; easy in hiragana with spaces), written and committed before its changes
    // (8febcf7); first measured there (on 49f7895's code): pt-dev9 16/21, ko-dev9 13/17, vi-dev9 15/17, zh-dev9 13/17,
    // easy-dev9 13/16. Korean's particles of what a question is about (ko about-particles), a Chinese question's topic
    // before 怎么 (zh about-before), the bulky items in every pack: zh-dev5 11 -> 12/14, ko-dev6 12 -> 13/14, ko-dev9 13 ->
    // 14/17; the rest unchanged (floors of those raised to these). A Portuguese compound read whole (pt-dev5 10 -> 11/14,
    // pt-dev9 16 -> 18/21) and an easy question about a word the city does not use (easy-dev9 13 -> 14/16) were stopped:
    // held out, pt-fresh2 (19 -> 17/26) and easy-fresh2 (34 -> 31/48) fell under their floors (totals only).
    [InlineData("pt-dev9", 0.76)]
    [InlineData("ko-dev9", 0.82)]
    [InlineData("vi-dev9", 0.88)]
    [InlineData("zh-dev9", 0.76)]
    [InlineData("easy-dev9", 0.81)]
    public Task DevLanguageSetWithNone_ShowsMisses_AtLeastTheFloor(string language, double floor) => RunWithNoneAsync(language, floor, heldOut: false);

    internal async Task RunWithNoneAsync(string language, double floor, bool heldOut)
    {
        var rows = Rows(language);

        using var app = new BotApplication();
        var guides = app.WithScope(sp => sp.GetRequiredService<GuideCatalog>().Current.Guides.ToDictionary(g => g.Title, g => g.Id));
        var catalog = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content", "procedures.yaml"));
        var malformed = rows.Select((r, i) => (Row: r, Line: i + 1))
            .Where(x => x.Row.Length != 2 || !(x.Row[1] is "classes" or "none" || catalog.Contains($"- id: {x.Row[1]}\n", StringComparison.Ordinal)
                || (x.Row[1].StartsWith("guide:", StringComparison.Ordinal) && guides.ContainsValue(x.Row[1]["guide:".Length..]))))
            .Select(x => x.Line).ToList();
        Assert.True(malformed.Count == 0, $"{language}: rows {string.Join(", ", malformed)} expect no procedure, guide, classes or none");

        var right = 0;
        var misses = new List<string>();
        var byKind = new SortedDictionary<string, (int Right, int Count)>(StringComparer.Ordinal);
        foreach (var (row, n) in rows.Select((r, n) => (r, n)))
        {
            var user = $"{(heldOut ? "heldout" : "dev")}-{language}-{n}";
            if (language.StartsWith("easy", StringComparison.Ordinal))
            {
                await app.SayAsync(Audience.Resident, user, "やさしい日本語で");
            }

            var replies = await app.SayAsync(Audience.Resident, user, row[0]);

            // A guide's answer may list procedures with buttons (書かない窓口): the resident reads the guide first.
            var first = replies.OfType<TextReply>().FirstOrDefault()?.Text ?? string.Empty;
            var got = guides.FirstOrDefault(g => first.StartsWith($"【{g.Key}】", StringComparison.Ordinal)).Value is { } guide ? "guide:" + guide : AnswerId(replies);
            var kind = row[1] switch { "none" => "not covered", "classes" => "classes", var e when e.StartsWith("guide:", StringComparison.Ordinal) => "guides", _ => "procedures" };
            var ok = got == row[1];
            right += ok ? 1 : 0;
            if (!ok && !heldOut)
            {
                misses.Add($"{row[0]}\twant {row[1]}\tgot {got}\t{first.Split('\n')[0]}");
            }

            var (kindRight, kindCount) = byKind.GetValueOrDefault(kind);
            byKind[kind] = (kindRight + (ok ? 1 : 0), kindCount + 1);
        }

        var rate = (double)right / rows.Count;
        var what = heldOut ? "held out" : "dev";
        output.WriteLine($"{language} ({what}): {right}/{rows.Count} right answer first = {rate:P1} ({string.Join(", ", byKind.Select(k => $"{k.Key} {k.Value.Right}/{k.Value.Count}"))}; floor {floor:P0}, target 90 %{(heldOut ? "; misses not printed" : string.Empty)})");
        misses.ForEach(m => output.WriteLine("MISS " + m));
        Assert.True(rate >= floor, $"{language} ({what}): {right}/{rows.Count} under the floor {floor:P0}");
    }

    /// <summary>
    /// The foreign index's refusal shares (ForeignIndex.LooseName …) tried over a grid on every foreign dev set at once
    /// (the first sets, dev3 … dev9; never a fresh, blind or fresh3 set), judged as the host answers: nothing found is
    /// none, the class schedule when it is about as sure as the first entry, else the first entry. Prints the best
    /// settings and the ones in use; fails when the ones in use fall under the figures measured (session 16).
    /// </summary>
    [Fact]
    public void ForeignRefusal_IsCalibratedOnEveryDevSetAtOnce()
    {
        var content = Path.Combine(RepoPaths.Root, "src", "ShiogamaDx.Bot", "Content");
        var packs = LanguageCatalog.LoadFolder(Path.Combine(content, LanguageCatalog.Folder), out _);
        var catalog = ProcedureFile.Load(Path.Combine(content, "procedures.yaml")).Procedures;
        var folder = Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Evaluation", "Languages");
        var sets = new[] { "en", "zh", "ko", "vi", "pt", "tl" }
            .SelectMany(l => new[] { l, $"{l}-dev3", $"{l}-dev4", $"{l}-dev5", $"{l}-dev6", $"{l}-dev7", $"{l}-dev8", $"{l}-dev9" })
            .Where(s => File.Exists(Path.Combine(folder, $"resident-{s}-questions.tsv")))
            .Select(s => (Set: s, Index: new ForeignIndex(packs[s.Split('-')[0]], catalog), Rows: Rows(s)))
            .ToList();

        (int Covered, int None, string PerSet) Judge(ForeignIndex.Refusal refusal)
        {
            var (covered, none) = (0, 0);
            var perSet = new List<string>();
            foreach (var (set, index, rows) in sets)
            {
                var right = 0;
                foreach (var row in rows)
                {
                    var hits = index.Find(row[0], 3, refusal).Hits;
                    var got = hits.Count == 0 ? "none"
                        : hits.Any(h => h.Id == ForeignIndex.ClassesId && h.Score >= hits[0].Score * 0.85) ? "classes"
                        : hits.First(h => h.Id != ForeignIndex.ClassesId).Id;
                    var ok = got == row[1];

                    right += ok ? 1 : 0;
                    (covered, none) = row[1] == "none" ? (covered, none + (ok ? 1 : 0)) : (covered + (ok ? 1 : 0), none);
                }

                perSet.Add($"{set} {right}/{rows.Count}");
            }

            return (covered, none, string.Join(", ", perSet));
        }

        // A corner of the grid of session 15 (the in-use values among them; the whole grid and its figures beside the
        // constants in ForeignIndex), small enough to run with the sets.
        var grid = (from ln in new[] { 0.3, 0.7 }
                    from lc in new[] { 0.6, 0.8 }
                    from un in new[] { 0.4, 0.8 }
                    from uc in new[] { 0.3, 0.5 }
                    from an in new[] { 0, 0.7, 0.9 }
                    select new ForeignIndex.Refusal(ln, lc, un, uc, an)).ToList();
        var results = grid.Select(r => (Refusal: r, Result: Judge(r))).OrderByDescending(x => x.Result.Covered + x.Result.None).ThenByDescending(x => x.Result.Covered).ToList();
        var total = sets.Sum(s => s.Rows.Count);
        var nones = sets.Sum(s => s.Rows.Count(r => r[1] == "none"));
        void Print(string label, ForeignIndex.Refusal refusal, (int Covered, int None, string PerSet) r) =>
            output.WriteLine($"{label}{refusal}: covered {r.Covered}/{total - nones}, not covered {r.None}/{nones}");
        results.Take(5).ToList().ForEach(x => Print("most right: ", x.Refusal, x.Result));
        var mostCovered = results.Max(r => r.Result.Covered);
        var keeping = results.Where(r => r.Result.Covered == mostCovered).ToList();
        keeping.Take(5).ToList().ForEach(x => Print("losing no covered question: ", x.Refusal, x.Result));

        var inUse = Judge(ForeignIndex.Refusal.Default);
        Print("in use: ", ForeignIndex.Refusal.Default, inUse);
        output.WriteLine(inUse.PerSet);

        // Session 16: with births and moves abroad in every pack's keywords, the grid's best that kept every covered dev
        // question (LooseCoverage 0.9, UnknownName 0.8: covered 369/379, not covered 56/81, against 368 and 43 in use)
        // raised nine dev sets and lowered none in the host, but two held-out sets without not-covered questions
        // (pt-fresh2, vi-fresh2) fell under their floors (totals only). The dev sets' covered questions are tuned on, so
        // the grid cannot see what a stricter refusal costs on new wording: it is printed to read, and the in-use values
        // are guarded against a regression (the figures measured at 0ee74c4), no longer asked to be the grid's best.
        // Session 17, with the dev8 sets (444 covered, 112 not): 431 and 59 before the about-reading (ForeignIndex.AboutName),
        // 432 and 70 with it; guarded there.
        // Session 18, with the dev9 sets (491 covered, 137 not): 478 and 81 before its changes, 478 and 84 after (Korean's
        // particles, a Chinese question's topic; a Portuguese compound read whole gave 87 but was stopped: pt-fresh2 fell
        // under its floor); guarded there.
        Assert.True(inUse.Covered >= 478, $"in use: covered {inUse.Covered}/{total - nones}, under 478");
        Assert.True(inUse.None >= 84, $"in use: not covered {inUse.None}/{nones}, under 84");
    }

    /// <summary>A set's rows (question, expected), its comments and header left out.</summary>
    private static List<string[]> Rows(string language) =>
        File.ReadLines(Path.Combine(RepoPaths.Root, "tests", "ShiogamaDx.Bot.Tests", "Evaluation", "Languages", $"resident-{language}-questions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .ToList();

    /// <summary>What the replies answer: the procedure their first buttons name, classes for the class schedule, else none.</summary>
    internal static string AnswerId(IReadOnlyList<Reply> replies)
    {
        foreach (var reply in replies)
        {
            var values = reply switch
            {
                CardsReply cards => cards.Cards.SelectMany(c => c.Actions).Select(a => a.Value),
                ChoicesReply choices => choices.Choices.Select(c => c.Value ?? string.Empty),
                _ => [],
            };
            foreach (var value in values.Where(v => v.StartsWith("h=", StringComparison.Ordinal)))
            {
                var query = QueryHelpers.ParseQuery("?" + value);
                var handler = query["h"].ToString();
                if (handler is "procedures" or "lang" && query.TryGetValue("id", out var id))
                {
                    return id.ToString();
                }

                if (handler == "classes" || (handler == "dialog" && query["d"] == "class-registration"))
                {
                    return "classes";
                }
            }
        }

        return "none";
    }
}

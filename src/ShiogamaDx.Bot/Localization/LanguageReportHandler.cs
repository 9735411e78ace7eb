using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Procedures;

namespace ShiogamaDx.Bot.Localization;

/// <summary>
/// For the DX office: the procedures without a やさしい日本語 version (and the languages without a translation of
/// them), and the other features whose answers やさしい日本語 residents got in regular Japanese, the most asked this
/// fiscal year first, so the easy versions get written where they matter.
/// </summary>
public sealed class LanguageReportHandler(BotDbContext db, ProcedureIndexCache cache, ProcedureDemandCounter counter, LanguageCatalog catalog, DialogCatalog dialogs, TimeProvider clock, Messages.MessageCatalog messages) : IIntentHandler
{
    private const int Top = 15;

    public string Name => "staff.languages";

    public Audience Audience => Audience.Staff;

    public double Match(Turn turn)
    {
        var n = turn.Normalized;
        var subject = n.Contains("やさしい日本語", StringComparison.Ordinal) || n.Contains("やさしいにほんご", StringComparison.Ordinal) || n.Contains("翻訳", StringComparison.Ordinal);
        var lacking = n.Contains("ない", StringComparison.Ordinal) || n.Contains('未', StringComparison.Ordinal) || n.Contains("不足", StringComparison.Ordinal) || n.Contains("足りない", StringComparison.Ordinal);
        return subject && lacking ? 0.9 : 0.0;
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        await counter.FlushAsync(cancellationToken); // this host's last seconds of counts included
        var today = clock.GetLocalNow();
        var year = today.Month >= 4 ? today.Year : today.Year - 1;
        var from = new DateOnly(year, 4, 1);
        var asked = await db.Set<ProcedureDemand>().AsNoTracking()
            .Where(d => d.Month >= from)
            .GroupBy(d => d.ProcedureId)
            .Select(g => new { Id = g.Key, Asked = g.Sum(d => d.Asked) })
            .ToDictionaryAsync(d => d.Id, d => d.Asked, cancellationToken);

        var packs = catalog.Packs;
        var easy = packs.GetValueOrDefault(LanguagePack.Easy);
        var foreign = LanguagePack.Foreign.Where(packs.ContainsKey).Select(c => packs[c]).ToList();
        var procedures = cache.Get(db).Procedures;
        var lacking = procedures
            .Select(p => (Procedure: p, Asked: asked.GetValueOrDefault(p.Id), NoEasy: easy?.Procedures.GetValueOrDefault(p.Id)?.Text is null,
                Untranslated: foreign.Where(f => f.Procedures.GetValueOrDefault(p.Id)?.Text is null).Select(f => f.Code).ToList()))
            .Where(x => x.NoEasy || x.Untranslated.Count > 0)
            .OrderByDescending(x => x.Asked).ThenBy(x => x.Procedure.Position)
            .ToList();
        var texts = messages.Current;

        // Answers of the other features (class schedule, guides, flows) a やさしい日本語 resident got in regular Japanese:
        // none has an easy version, so each is listed by how often it was so answered, among the procedures.
        var features = asked.Where(a => a.Key.StartsWith(LanguageDiversion.EasyFeaturePrefix, StringComparison.Ordinal))
            .Select(a => (Name: texts.Format(LocalizationTexts.FeatureRow, FeatureName(a.Key[LanguageDiversion.EasyFeaturePrefix.Length..])), a.Value));
        var rows = lacking.Select(x => (Name: x.Procedure.Name, Asked: x.Asked, Position: x.Procedure.Position, Easy: x.NoEasy ? texts[LocalizationTexts.EasyNo] : texts[LocalizationTexts.EasyYes], Untranslated: x.Untranslated.Count == 0 ? "-" : string.Join(" ", x.Untranslated)))
            .Concat(features.Select(f => (f.Name, Asked: f.Value, Position: int.MaxValue, Easy: texts[LocalizationTexts.EasyNo], Untranslated: "-")))
            .OrderByDescending(x => x.Asked).ThenBy(x => x.Position)
            .Take(Top)
            .Select(x => (IReadOnlyList<string>)[x.Name, x.Asked.ToString(CultureInfo.InvariantCulture), x.Easy, x.Untranslated])
            .ToList();
        var noEasy = procedures.Count(p => easy?.Procedures.GetValueOrDefault(p.Id)?.Text is null);
        return TurnResult.Of(new TableReply(
            texts.Format(LocalizationTexts.ReportTitle, year - 2018),
            [texts[LocalizationTexts.ColumnProcedure], texts[LocalizationTexts.ColumnAsked], texts[LocalizationTexts.ColumnEasy], texts[LocalizationTexts.ColumnUntranslated]],
            rows,
            texts.Format(LocalizationTexts.ReportNote, noEasy, procedures.Count)));
    }

    /// <summary>A flow by its title (「スマホ教室の申し込み」), another feature by the name of its handler.</summary>
    private string FeatureName(string feature) =>
        feature.StartsWith("dialog:", StringComparison.Ordinal) && dialogs.Dialogs.FirstOrDefault(d => d.Id == feature["dialog:".Length..]) is { } dialog
            ? dialog.Title
            : feature;
}

using System.Globalization;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Kpis;

/// <summary>Staff questions about the plan's KPIs, and updates of actuals by the DX promotion office.</summary>
public sealed class KpiHandler(KpiService service, KpiQuestionReader reader, IOptions<KpiOptions> options, PrivacyKeys keys, KpiCharts charts, MessageCatalog messages, TimeProvider clock) : IIntentHandler
{
    public const string HandlerName = "kpis";
    public const string UpdateDialog = "staff-kpi-update";

    public string Name => HandlerName;

    public Audience Audience => Audience.Staff;

    public double Match(Turn turn)
    {
        // A question that names the usage guideline is for the guideline, even when it mentions 生成AI.
        if (turn.Normalized.Contains("手引", StringComparison.Ordinal) || turn.Normalized.Contains("がいどらいん", StringComparison.Ordinal))
        {
            return 0;
        }

        var year = FiscalYears.Current(clock);
        var (request, question, _) = reader.ReadUpdate(turn.Text, year);
        if (request is not null)
        {
            return 0.95;
        }

        return question.Ask != KpiAsk.None ? question.Strength : reader.Read(turn.Text, year).Strength;
    }

    public async Task<TurnResult> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        var snapshot = await service.SnapshotAsync(cancellationToken);
        var texts = messages.Current;
        var answers = new KpiAnswers(snapshot, texts, clock.LocalTimeZone, options.Value.DashboardLink, charts);
        var year = FiscalYears.Current(clock);

        if (turn.Postback is { Action: "ask" } pb)
        {
            return new TurnResult(answers.Answer(FromPostback(pb, year, snapshot)));
        }

        var (request, updateQuestion, value) = reader.ReadUpdate(turn.Text, year);
        if (request is not null)
        {
            return Update(turn, request, snapshot, texts);
        }

        if (updateQuestion.Ask == KpiAsk.Choices && value is { } v)
        {
            // Each choice is the whole update sentence for one indicator, so picking it (or typing it) starts that update.
            var updateYear = updateQuestion.YearGiven && updateQuestion.Year is { } y ? y : year;
            var choices = updateQuestion.Candidates.Select(reader.Catalog.Kpi).OfType<KpiDef>().Take(4)
                .Select(k => new Choice(UpdateSentence(k, updateYear, v)))
                .ToList();
            return TurnResult.Of(new ChoicesReply(texts[KpiTexts.UpdateWhich], choices));
        }

        var question = reader.Read(turn.Text, year, snapshot.LatestActualYear);
        return new TurnResult(answers.Answer(question));
    }

    private TurnResult Update(Turn turn, KpiUpdateRequest request, KpiSnapshot snapshot, MessageSet texts)
    {
        if (!IsEditor(options.Value, keys, turn.Message.UserKey))
        {
            return TurnResult.Of(new TextReply(texts[KpiTexts.UpdateNotEditor]));
        }

        if (KpiService.Validate(reader.Catalog, texts, request.KpiId, request.Year, request.Value) is { } error)
        {
            return TurnResult.Of(new TextReply(error));
        }

        var kpi = reader.Catalog.Kpi(request.KpiId)!;
        var project = reader.Catalog.ProjectOf(kpi);
        var old = snapshot.Actual(kpi, request.Year);
        var summary = texts.Format(KpiTexts.UpdateSummary, kpi.Name, project.Name, FiscalYears.Label(request.Year), KpiFormat.Value(old, kpi.Unit), KpiFormat.Value(new KpiCell(request.Value, null, null, KpiSources.Manual, null, null, null), kpi.Unit));
        if (snapshot.Computed(kpi, request.Year).FirstOrDefault() is { } computed)
        {
            // Computed values are not overwritten silently: the person is told which value their number will hide.
            summary += "\n" + texts.Format(KpiTexts.UpdateComputed, KpiFormat.SourceLabel(computed, texts), KpiFormat.Value(computed, kpi.Unit));
        }

        var values = new Dictionary<string, string>
        {
            ["kpi"] = kpi.Id,
            ["year"] = request.Year.ToString(CultureInfo.InvariantCulture),
            ["value"] = request.Value.ToString(CultureInfo.InvariantCulture),
            ["summary"] = summary,
        };
        return new TurnResult([], new DialogStart(UpdateDialog, values));
    }

    /// <summary>
    /// The update sentence a choice sends back as if typed. It stays in code: the question reader must read it back
    /// (ReadUpdate), so its form is the reader's, not wording the office could change alone.
    /// </summary>
    private static string UpdateSentence(KpiDef kpi, int year, decimal value) =>
        $"{kpi.Name}の{FiscalYears.Label(year)}の実績を{value.ToString(CultureInfo.InvariantCulture)}に更新";

    /// <summary>Editors are configured by their staff chat id; the turn carries only the pseudonym of it.</summary>
    internal static bool IsEditor(KpiOptions options, PrivacyKeys keys, string userKey) =>
        !string.IsNullOrEmpty(userKey) && options.Editors.Any(id => keys.Pseudonymize("staff", id) == userKey);

    private static KpiQuestion FromPostback(Postback pb, int currentYear, KpiSnapshot snapshot)
    {
        var id = pb["k"];
        var ask = Enum.TryParse<KpiAsk>(pb["f"], out var a) ? a : KpiAsk.Target;
        int? year = int.TryParse(pb["y"], CultureInfo.InvariantCulture, out var y) && y > 0 ? y : null;
        if (id is not null && snapshot.Catalog.Kpi(id) is { } kpi && ask is KpiAsk.Target or KpiAsk.Actual or KpiAsk.Achievement)
        {
            year ??= ask == KpiAsk.Target || snapshot.LatestActualYear(kpi) is null
                ? Math.Clamp(currentYear, KpiCatalog.YearsOf(kpi.Plan).First, KpiCatalog.YearsOf(kpi.Plan).Last)
                : snapshot.LatestActualYear(kpi);
        }

        return new KpiQuestion(ask, id, year, null, [], year is not null, ask, 1);
    }
}

/// <summary>The last step of dialogs/staff-kpi-update.yaml: saves the confirmed actual with its audit entry.</summary>
public sealed class KpiUpdateAction(KpiService service, IOptions<KpiOptions> options, PrivacyKeys keys, MessageCatalog messages) : IDialogAction
{
    public string Name => "kpis.update-actual";

    public async Task<DialogActionResult> RunAsync(DialogActionContext context, CancellationToken cancellationToken)
    {
        var texts = messages.Current;
        if (!KpiHandler.IsEditor(options.Value, keys, context.Turn.Message.UserKey))
        {
            return new DialogActionResult([new TextReply(texts[KpiTexts.UpdateRefused])], Next: "end");
        }

        var v = context.Values;
        if (!v.TryGetValue("kpi", out var kpiId)
            || !int.TryParse(v.GetValueOrDefault("year"), CultureInfo.InvariantCulture, out var year)
            || !decimal.TryParse(v.GetValueOrDefault("value"), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return new DialogActionResult([new TextReply(texts[KpiTexts.UpdateLost])], Next: "end");
        }

        var reason = v.GetValueOrDefault("reason") ?? string.Empty;
        var change = await service.SetActualAsync(kpiId, year, value, context.Turn.Message.UserKey, reason, "chat", cancellationToken);
        var unit = change.Kpi.Unit;
        var text = texts.Format(KpiTexts.Updated, change.Kpi.Name, FiscalYears.Label(year), KpiFormat.Value(change.Old, unit), KpiFormat.Value(new KpiCell(value, null, null, KpiSources.Manual, null, null, null), unit), reason);
        return new DialogActionResult([new TextReply(text)]);
    }
}

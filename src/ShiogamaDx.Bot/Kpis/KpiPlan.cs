namespace ShiogamaDx.Bot.Kpis;

/// <summary>
/// The plan as transcribed in Content/kpis.yaml, and the question reader built from it, swapped in one step when the
/// content reloader has checked a changed file (features resolve <see cref="KpiCatalog"/> and
/// <see cref="KpiQuestionReader"/> per use, so a conversation sees one plan or the other, never half of each).
/// </summary>
public sealed class KpiPlan(KpiCatalog initial)
{
    private sealed record Version(KpiCatalog Catalog, KpiQuestionReader Reader);

    private Version current = new(initial, new KpiQuestionReader(initial));

    public KpiCatalog Catalog => Volatile.Read(ref current).Catalog;

    public KpiQuestionReader Reader => Volatile.Read(ref current).Reader;

    public void Replace(KpiCatalog catalog) => Volatile.Write(ref current, new Version(catalog, new KpiQuestionReader(catalog)));
}

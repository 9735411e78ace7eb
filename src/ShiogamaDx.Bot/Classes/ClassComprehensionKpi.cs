using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Data;
using ShiogamaDx.Bot.Kpis;

namespace ShiogamaDx.Bot.Classes;

/// <summary>
/// 講座内容が理解できた人の割合 (基本方針1 施策3): answers よく理解できた or だいたい理解できた ÷ all answers,
/// per fiscal year of the class date, in percent. Computed on every read, so it moves as soon as an answer
/// arrives; a year with fewer than <see cref="ClassesOptions.KpiMinimumResponses"/> answers is not published
/// (too few to mean anything, and a single answer could be traced back to a person).
/// </summary>
public sealed class ClassComprehensionKpi(BotDbContext db, IOptions<ClassesOptions> options, Messages.MessageCatalog messages) : IKpiValueSource
{
    /// <summary>Values 3 and 4 of the comprehension question are the top two boxes.</summary>
    public const int Understood = 3;

    public async Task<IReadOnlyList<ComputedKpiValue>> ComputeAsync(CancellationToken cancellationToken)
    {
        var years = await db.Set<ClassSurveyAnswer>().AsNoTracking()
            .GroupBy(a => a.FiscalYear)
            .Select(g => new { Year = g.Key, All = g.Count(), Understood = g.Count(a => a.Comprehension >= Understood) })
            .ToListAsync(cancellationToken);
        var minimum = options.Value.KpiMinimumResponses;
        return years
            .Where(y => y.All >= minimum)
            .OrderBy(y => y.Year)
            .Select(y => new ComputedKpiValue(
                KpiIds.ClassComprehension,
                y.Year,
                Math.Round(100m * y.Understood / y.All, 1, MidpointRounding.AwayFromZero),
                "survey",
                messages.Current.Format(ClassTexts.KpiSource, y.All, y.Understood, minimum)))
            .ToList();
    }
}

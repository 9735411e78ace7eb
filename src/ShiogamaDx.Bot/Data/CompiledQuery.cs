using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ShiogamaDx.Bot.Data;

/// <summary>
/// A query that runs on every turn, compiled once per EF model: a LINQ query is otherwise funcletized and checked
/// against EF's query cache (its expression tree walked and compared) on every call (#19). Per model, because a
/// compiled query refuses a context of another model (SQLite and PostgreSQL have one each; the tests use both in one
/// process).
/// </summary>
internal sealed class CompiledQuery<TArg, TResult>(Expression<Func<BotDbContext, TArg, CancellationToken, TResult>> query)
{
    private readonly ConditionalWeakTable<IModel, Func<BotDbContext, TArg, CancellationToken, Task<TResult>>> byModel = [];

    public Task<TResult> RunAsync(BotDbContext db, TArg arg, CancellationToken ct) =>
        byModel.GetValue(db.Model, _ => EF.CompileAsyncQuery(query))(db, arg, ct);
}

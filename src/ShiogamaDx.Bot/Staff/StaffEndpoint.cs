using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;

namespace ShiogamaDx.Bot.Staff;

/// <summary><c>POST /api/messages</c>: verify, translate, queue; answer the HTTP request at once.</summary>
internal static class StaffEndpoint
{
    public const string AdaptiveCardAction = "adaptiveCard/action";

    public static readonly TextReply OutsideTenant = new("申し訳ありません。このボットは塩竈市職員専用です。");
    private const long MaxBodyBytes = 256 * 1024;

    public static async Task<IResult> HandleAsync(
        HttpContext http,
        IOptions<StaffOptions> options,
        BotFrameworkAuthenticator authenticator,
        StaffTurnQueue queue,
        ConversationReferenceStore references,
        PrivacyKeys keys,
        TimeProvider clock,
        IServiceProvider services,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var o = options.Value;
        var logger = loggers.CreateLogger("ShiogamaDx.Bot.Staff.StaffEndpoint");
        if (!o.Enabled)
        {
            return TypedResults.NotFound();
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        var mustVerify = !o.AllowUnauthenticated || (authorization.Length > 0 && o.HasAppId);
        if (mustVerify && authorization.Length == 0)
        {
            logger.LogInformation("Rejected an activity without a token");
            return TypedResults.Unauthorized();
        }

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync(http.Request.Body, ActivityJson.Default.Activity, ct);
        }
        catch (JsonException)
        {
            return TypedResults.BadRequest();
        }
        catch (BadHttpRequestException)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (activity is null)
        {
            return TypedResults.BadRequest();
        }

        if (mustVerify && await authenticator.ValidateAsync(authorization, activity, ct) is { } reason)
        {
            // The fact only: a rejected request's content is not ours to keep.
            logger.LogInformation("Rejected an activity that failed authentication");
            logger.LogDebug("Authentication failure: {Reason}", reason);
            return TypedResults.Unauthorized();
        }

        if (activity.ServiceUrl is not { Length: > 0 } || activity.Conversation?.Id is not { Length: > 0 }
            || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out _))
        {
            return TypedResults.BadRequest();
        }

        switch (activity.Type)
        {
            case "message":
                {
                    var message = StaffActivities.ToIncoming(activity, activity.Value, keys, clock.GetUtcNow());
                    if (message is null)
                    {
                        return TypedResults.Ok(); // an attachment or reaction alone: nothing to answer
                    }

                    if (!o.IsTenantAllowed(StaffActivities.TenantOf(activity)))
                    {
                        // Nothing of a stranger's is stored or routed; they get a kind refusal and nothing else.
                        logger.LogInformation("Refused a staff message from a tenant that is not allowed");
                        return Enqueue(queue, new StaffWork(activity, message, activity.Id, [OutsideTenant]), logger)
                            ? TypedResults.Ok()
                            : TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
                    }

                    await SaveReferenceAsync(references, message.UserKey, activity, activity.From!, logger, ct);
                    return Enqueue(queue, new StaffWork(activity, message, activity.Id), logger)
                        ? TypedResults.Ok()
                        : TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable); // the channel retries: nothing is lost
                }

            case "conversationUpdate" when !o.IsTenantAllowed(StaffActivities.TenantOf(activity)):
                return TypedResults.Ok();

            case "conversationUpdate":
                await GreetAsync(activity, queue, references, keys, clock, logger, ct);
                return TypedResults.Ok();

            case "invoke" when activity.Name == AdaptiveCardAction && !o.IsTenantAllowed(StaffActivities.TenantOf(activity)):
                return TypedResults.Json(
                    new InvokeResponse(403, "application/vnd.microsoft.error", new JsonObject { ["code"] = "Forbidden", ["message"] = OutsideTenant.Text }),
                    ActivityJson.Default.InvokeResponse);

            case "invoke" when activity.Name == AdaptiveCardAction:
                return await ActionAsync(activity, keys, clock, services, ct);

            case "invoke":
                return TypedResults.StatusCode(StatusCodes.Status501NotImplemented);

            default:
                return TypedResults.Ok(); // typing, messageReaction, installationUpdate …: nothing to do
        }
    }

    private static async Task GreetAsync(Activity activity, StaffTurnQueue queue, ConversationReferenceStore references, PrivacyKeys keys, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        var botId = activity.Recipient?.Id;
        var added = activity.MembersAdded ?? [];
        var botAdded = added.Any(m => m.Id == botId);
        var isGroup = activity.Conversation?.IsGroup == true || activity.Conversation?.ConversationType is "groupChat" or "channel";

        // In a group, one greeting when the bot arrives, not one per colleague who joins later.
        var people = isGroup ? [] : added.Where(m => m.Id != botId && StaffActivities.RawUserId(m) is not null).ToList();
        if (people.Count == 0 && botAdded && StaffActivities.RawUserId(activity.From) is not null)
        {
            // Teams, on install, names only the bot: greet the person who installed it.
            people.Add(activity.From!);
        }

        foreach (var person in people)
        {
            var userKey = StaffActivities.UserKey(keys, person);
            await SaveReferenceAsync(references, userKey, activity, person, logger, ct);
            var greeting = new IncomingMessage(StaffActivities.Channel, Audience.Staff, userKey, StaffActivities.ConversationKey(keys, activity), null, null, clock.GetUtcNow());
            Enqueue(queue, new StaffWork(activity with { From = person }, greeting, null), logger);
        }
    }

    /// <summary>Action.Execute (Universal Actions): the answer replaces the pressed card, so it must come in the response.</summary>
    private static async Task<IResult> ActionAsync(Activity activity, PrivacyKeys keys, TimeProvider clock, IServiceProvider services, CancellationToken ct)
    {
        var data = activity.Value?["action"]?["data"];
        var message = StaffActivities.ToIncoming(activity with { Text = null }, data, keys, clock.GetUtcNow());
        if (message is null)
        {
            var error = new InvokeResponse(400, "application/vnd.microsoft.error", new JsonObject { ["code"] = "BadRequest", ["message"] = "The action carries no data this bot understands." });
            return TypedResults.Json(error, ActivityJson.Default.InvokeResponse);
        }

        await using var scope = services.CreateAsyncScope();
        var replies = await scope.ServiceProvider.GetRequiredService<ConversationEngine>().HandleAsync(message, ct);
        var response = new InvokeResponse(200, AdaptiveCardRenderer.CardContentType, AdaptiveCardRenderer.CombinedCard(replies));
        return TypedResults.Json(response, ActivityJson.Default.InvokeResponse);
    }

    private static async Task SaveReferenceAsync(ConversationReferenceStore references, string userKey, Activity activity, ChannelAccount user, ILogger logger, CancellationToken ct)
    {
        try
        {
            await references.SaveAsync(userKey, activity, user, ct);
        }
        catch (DbUpdateException ex)
        {
            // Two first messages at once: the other request stored the same reference.
            logger.LogDebug("Conversation reference not stored: {Error}", ex.Message);
        }
    }

    private static bool Enqueue(StaffTurnQueue queue, StaffWork work, ILogger logger)
    {
        if (queue.TryEnqueue(work))
        {
            return true;
        }

        logger.LogWarning("Staff turn queue is full; the channel is asked to retry");
        return false;
    }
}

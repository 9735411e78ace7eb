using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Hosting;
using ShiogamaDx.Bot.Inbox;
using ShiogamaDx.Bot.Messages;

namespace ShiogamaDx.Bot.Staff;

/// <summary><c>POST /api/messages</c>: authenticate, read, store in the inbox; answer the HTTP request at once.</summary>
internal static class StaffEndpoint
{
    public const string AdaptiveCardAction = "adaptiveCard/action";

    /// <summary>Inbox item types: a message to answer, a stranger's message to refuse, a greeting for someone added.</summary>
    public const string MessageItem = "message", RefusalItem = "refusal", GreetingItem = "greeting";

    private const long MaxBodyBytes = 256 * 1024;

    public static async Task<IResult> HandleAsync(
        HttpContext http,
        IOptions<StaffOptions> options,
        BotFrameworkAuthenticator authenticator,
        MessageCatalog messages,
        InboxWriter inbox,
        PrivacyKeys keys,
        BotMetrics metrics,
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

        // The token first: a body nobody vouched for is not read.
        VerifiedToken? token = null;
        if (mustVerify)
        {
            (token, var failure) = await authenticator.AuthenticateAsync(authorization, ct);
            if (token is null)
            {
                return Refused(logger, failure);
            }
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

        if (token?.Admits(activity) is { } mismatch)
        {
            return Refused(logger, mismatch);
        }

        if (activity.ServiceUrl is not { Length: > 0 } || activity.Conversation?.Id is not { Length: > 0 }
            || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out _))
        {
            return TypedResults.BadRequest();
        }

        var allowed = o.IsTenantAllowed(StaffActivities.TenantOf(activity));
        switch (activity.Type)
        {
            case "message" when StaffActivities.ToIncoming(activity, activity.Value, keys, clock.GetUtcNow()) is null:
                return TypedResults.Ok(); // an attachment or reaction alone: nothing to answer

            case "message":
                if (!allowed)
                {
                    // Nothing of a stranger's is stored beyond the refusal's item; they get a kind refusal and nothing else.
                    logger.LogInformation("Refused a staff message from a tenant that is not allowed");
                }

                var stored = allowed ? activity : activity with { Text = null, Value = null, Attachments = null }; // a stranger's words are not kept
                return await StoreAsync(inbox, metrics, logger, [Item(stored, allowed ? MessageItem : RefusalItem, activity.Id, keys, clock)], ct);

            case "conversationUpdate" when !allowed:
                return TypedResults.Ok();

            case "conversationUpdate":
                return await StoreAsync(inbox, metrics, logger, Greetings(activity, keys, clock), ct);

            case "invoke" when activity.Name == AdaptiveCardAction && !allowed:
                return TypedResults.Json(
                    new InvokeResponse(403, "application/vnd.microsoft.error", new JsonObject { ["code"] = "Forbidden", ["message"] = messages.Current[StaffTexts.OutsideTenant] }),
                    ActivityJson.Default.InvokeResponse);

            case "invoke" when activity.Name == AdaptiveCardAction:
                return await ActionAsync(activity, keys, clock, services, ct);

            case "invoke":
                return TypedResults.StatusCode(StatusCodes.Status501NotImplemented);

            default:
                return TypedResults.Ok(); // typing, messageReaction, installationUpdate …: nothing to do
        }
    }

    private static IResult Refused(ILogger logger, string? reason)
    {
        // The fact only: a rejected request's content is not ours to keep.
        logger.LogInformation("Rejected an activity that failed authentication");
        logger.LogDebug("Authentication failure: {Reason}", reason);
        return TypedResults.Unauthorized();
    }

    /// <summary>Stored before the 200: the connector gets a 503 otherwise and sends the activity again.</summary>
    private static async Task<IResult> StoreAsync(InboxWriter inbox, BotMetrics metrics, ILogger logger, IReadOnlyList<InboxItem> items, CancellationToken ct)
    {
        try
        {
            metrics.Received(StaffActivities.Channel, await inbox.StoreAsync(items, ct));
            return TypedResults.Ok();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "A staff activity could not be stored (disk full, database locked or down); answered 503 so the channel sends it again");
            return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>One item per activity (per greeted person), unique by the activity's id so a resent activity is answered once.</summary>
    private static InboxItem Item(Activity activity, string type, string? id, PrivacyKeys keys, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return new InboxItem
        {
            Channel = StaffActivities.Channel,
            EventId = TextNormalizer.Clip(id is { Length: > 0 } ? id : "unnamed:" + Guid.NewGuid().ToString("N"), 200),
            Type = type,
            PersonKey = StaffActivities.ConversationKey(keys, activity), // a conversation's turns in the order they came
            Timestamp = now,
            ReceivedAt = now,
            NextAttemptAt = now,
            PayloadJson = JsonSerializer.Serialize(activity, ActivityJson.Default.Activity),
        };
    }

    private static List<InboxItem> Greetings(Activity activity, PrivacyKeys keys, TimeProvider clock)
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

        var id = activity.Id is { Length: > 0 } given ? given : Guid.NewGuid().ToString("N");
        return people.ConvertAll(person => Item(activity with { From = person }, GreetingItem, $"{id}:greet:{StaffActivities.UserKey(keys, person)}", keys, clock));
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
}

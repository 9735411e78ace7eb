using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Admin;
using ShiogamaDx.Bot.Content;
using ShiogamaDx.Bot.Conversations;
using ShiogamaDx.Bot.Data;

namespace ShiogamaDx.Bot.Announcements;

public static class AnnouncementsExtensions
{
    public static IHostApplicationBuilder AddAnnouncements(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AnnouncementsOptions>().BindConfiguration(AnnouncementsOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.HostsAreNames(), "Announcements:LinkHosts must be host names such as www.city.shiogama.miyagi.jp (no scheme, no path)")
            .Validate(o => o.RolesHaveIds(), "Announcements:Authors, Approvers, Emergency, Disaster and TopicRoles must not hold empty ids")
            .ValidateOnStart();
        services.AddSingleton(sp => TopicCatalog.Load(sp.GetRequiredService<IOptions<AnnouncementsOptions>>().Value.TopicsFile
                                                      ?? Path.Combine(sp.GetRequiredService<IOptions<ContentOptions>>().Value.FullPath, TopicCatalog.FileName)));
        services.AddScoped<AnnouncementService>();
        services.AddScoped<AnnouncementLanguages>();
        services.AddScoped<TopicSubscriptions>();
        services.AddScoped<IIntentHandler, TopicSettingsHandler>();
        services.AddScoped<IIntentHandler, StaffAnnouncementHandler>();
        services.AddScoped<INewFriendWelcome, TopicWelcome>();
        services.AddScoped<IPersonalDataEraser, AnnouncementDataEraser>();
        services.AddSingleton(sp => new DisasterNoticeFile(sp.GetRequiredService<IOptions<AnnouncementsOptions>>().Value.DisasterFile
                                                           ?? Path.Combine(sp.GetRequiredService<IOptions<ContentOptions>>().Value.FullPath, DisasterNoticeFile.FileName),
            sp.GetRequiredService<ILogger<DisasterNoticeFile>>()));
        services.AddScoped<DisasterModeService>();
        services.AddSingleton<OpenDisasterPeriod>();
        services.AddScoped<IIntentHandler, DisasterModeHandler>();
        services.AddScoped<IIntentHandler, DisasterInfoHandler>();
        services.AddScoped<ITurnDiversion, DisasterNoticeDiversion>();
        services.AddScoped<IPersonalDataEraser, DisasterDataEraser>();
        services.AddScoped<Kpis.IDashboardSection, AnnouncementDashboardSection>();
        services.AddSingleton<AnnouncementJob>();
        services.AddHostedService(sp => sp.GetRequiredService<AnnouncementJob>());
        return builder;
    }

    public static IEndpointRouteBuilder MapAnnouncements(this IEndpointRouteBuilder app)
    {
        var catalog = app.ServiceProvider.GetRequiredService<TopicCatalog>(); // a bad topics file stops the start, with its line
        var unknown = app.ServiceProvider.GetRequiredService<IOptions<AnnouncementsOptions>>().Value.TopicRoles.Keys.Where(k => catalog.All.All(t => t.Id != k)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Announcements:TopicRoles names topics that are not in the topics file: {string.Join(", ", unknown)} (use the topic ids, e.g. {catalog.All[0].Id})");
        }

        _ = app.ServiceProvider.GetRequiredService<DisasterNoticeFile>().Current; // and so does a bad disaster notice

        var admin = app.MapAdminGroup();
        admin.MapGet("/topics", async (TopicCatalog topics, AnnouncementService announcements, CancellationToken ct) =>
        {
            var counts = await announcements.SubscriberCountsAsync(ct);
            return TypedResults.Ok(topics.All.Select(t => new TopicDto(t.Id, t.Name, counts.GetValueOrDefault(t.Id), t.DefaultOn, t.Emergency)));
        });
        admin.MapPost("/announcements", async Task<Results<Ok<CreatedDto>, ValidationProblem>> (NewAnnouncement? input, AnnouncementService announcements, CancellationToken ct) =>
        {
            if (input is null || string.IsNullOrWhiteSpace(input.Author))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["author"] = ["required: the author's staff id (Announcements:Authors)"] });
            }

            var author = announcements.StaffKey(input.Author.Trim());
            if (!announcements.IsAuthor(author))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["author"] = ["not one of Announcements:Authors (nor of any topic's Announcements:TopicRoles)"] });
            }

            var draft = new AnnouncementDraft(input.Topic, input.Text, input.Link, input.ImageUrl, input.SendAt, input.ClassId, input.Texts);
            var (problems, topic) = await announcements.CheckAsync(draft, ct);
            if (problems.Count > 0)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["announcement"] = [.. problems] });
            }

            if (!announcements.IsAuthor(author, topic!.Id))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["author"] = [$"not an author of topic '{topic.Id}' (Announcements:Authors or Announcements:TopicRoles:{topic.Id}:Authors)"] });
            }

            var a = await announcements.CreateAsync(author, topic, draft, ct);
            var audience = await announcements.AudienceAsync(a, ct);
            return TypedResults.Ok(new CreatedDto(a.Id, a.Status.ToString(), audience.UserKeys.Count, audience.Everyone, (await announcements.RepliesAsync(a, ct)).Count));
        });
        admin.MapPost("/announcements/{id:long}/approve", async Task<Results<Ok<ApprovedDto>, NotFound, ValidationProblem, Conflict<string>>> (long id, ApproveRequest? input, AnnouncementService announcements, CancellationToken ct) =>
        {
            if (input is null || string.IsNullOrWhiteSpace(input.Approver))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["approver"] = ["required: the approver's staff id (Announcements:Approvers)"] });
            }

            var (result, a) = await announcements.ApproveAsync(id, announcements.StaffKey(input.Approver.Trim()), ct);
            return result switch
            {
                ApprovalResult.Approved => TypedResults.Ok(new ApprovedDto(a!.Id, a.Status.ToString(), a.Recipients, a.SendAt)),
                ApprovalResult.NotFound => TypedResults.NotFound(),
                ApprovalResult.OwnAnnouncement => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["approver"] = ["the author cannot approve their own announcement"] }),
                ApprovalResult.NotApprover => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["approver"] = ["not one of Announcements:Approvers (nor of the topic's Announcements:TopicRoles)"] }),
                ApprovalResult.OverQuota => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quota"] = ["LINE's monthly limit leaves fewer messages than recipients: nothing was sent, it is still pending"] }),
                _ => TypedResults.Conflict("the announcement is not waiting for approval"),
            };
        });
        admin.MapGet("/announcements", async (AnnouncementService announcements, CancellationToken ct) =>
            TypedResults.Ok((await announcements.RecentAsync(50, ct)).Select(a => new AnnouncementDto(
                a.Id, a.TopicId, a.ClassId, a.Status.ToString(), a.Emergency, a.CreatedAt, a.SendAt, a.SentAt, a.Recipients, a.Delivered, a.Failed, a.UnfollowsAfter))));
        admin.MapGet("/announcements/monthly", async (int? months, AnnouncementService announcements, CancellationToken ct) =>
            TypedResults.Ok(await announcements.MonthlyAsync(Math.Clamp(months ?? 12, 1, 60), ct)));
        MapDisasterMode(admin);
        return app;
    }

    /// <summary>The disaster mode for the office's own tools: read it, start it (with a reason), end it; <c>by</c> is a staff id with the role.</summary>
    private static void MapDisasterMode(RouteGroupBuilder admin)
    {
        admin.MapGet("/disaster-mode", async (DisasterModeService mode, CancellationToken ct) => TypedResults.Ok(DisasterDto.Of(await mode.CurrentAsync(ct), null)));
        admin.MapPost("/disaster-mode/start", async Task<Results<Ok<DisasterDto>, ValidationProblem>> (DisasterRequest? input, DisasterModeService mode, CancellationToken ct) =>
        {
            if (input is null || string.IsNullOrWhiteSpace(input.By))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["by"] = ["required: the staff id of who starts it (Announcements:Disaster or Emergency)"] });
            }

            var (result, period, menu) = await mode.StartAsync(mode.StaffKey(input.By.Trim()), DisasterModeService.ViaApi, input.Reason, ct);
            return result switch
            {
                DisasterSwitch.NotAllowed => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["by"] = ["not one of Announcements:Disaster or Announcements:Emergency"] }),
                DisasterSwitch.ReasonMissing => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["required: why the disaster mode starts"] }),
                _ => TypedResults.Ok(DisasterDto.Of(period, menu)),
            };
        });
        admin.MapPost("/disaster-mode/end", async Task<Results<Ok<DisasterDto>, ValidationProblem>> (DisasterRequest? input, DisasterModeService mode, CancellationToken ct) =>
        {
            if (input is null || string.IsNullOrWhiteSpace(input.By))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["by"] = ["required: the staff id of who ends it (Announcements:Disaster or Emergency)"] });
            }

            var (result, _, menu) = await mode.EndAsync(mode.StaffKey(input.By.Trim()), DisasterModeService.ViaApi, ct);
            return result == DisasterSwitch.NotAllowed
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["by"] = ["not one of Announcements:Disaster or Announcements:Emergency"] })
                : TypedResults.Ok(DisasterDto.Of(null, menu));
        });
    }

    public sealed record DisasterRequest(string? By, string? Reason);

    /// <param name="Menu">What the switch of the residents' menu came to, in the staff chat's words; null when not switched now.</param>
    public sealed record DisasterDto(bool On, string? Reason, DateTimeOffset? StartedAt, bool DisasterMenuShown, string? MenuProblem, string? Menu)
    {
        public static DisasterDto Of(DisasterPeriod? p, string? menu) => new(p is not null, p?.Reason, p?.StartedAt, p?.DisasterMenuShown ?? false, p?.MenuProblem, menu);
    }

    public sealed record TopicDto(string Id, string Name, int Subscribers, bool DefaultOn, bool Emergency);

    /// <param name="ClassId">A class's own announcement (to its participants; the topic may then be left out).</param>
    /// <param name="Texts">The text in residents' languages by code (en, zh, ko, vi, pt, tl, easy): residents who keep that language get it.</param>
    public sealed record NewAnnouncement(string? Topic, string? Text, string? Author, string? Link, string? ImageUrl, DateTimeOffset? SendAt, string? ClassId = null, Dictionary<string, string>? Texts = null);

    /// <param name="Recipients">How many would get it now (fixed when it is sent).</param>
    /// <param name="Everyone">It reaches every LINE friend: one broadcast.</param>
    /// <param name="Messages">How many LINE messages each recipient gets (the text's parts and the image).</param>
    public sealed record CreatedDto(long Id, string Status, int Recipients, bool Everyone, int Messages);

    public sealed record ApproveRequest(string? Approver);

    /// <param name="Recipients">How many it was sent to; 0 while it waits for <paramref name="SendAt"/>.</param>
    public sealed record ApprovedDto(long Id, string Status, int Recipients, DateTimeOffset? SendAt);

    public sealed record AnnouncementDto(long Id, string Topic, string? ClassId, string Status, bool Emergency, DateTimeOffset CreatedAt, DateTimeOffset? SendAt, DateTimeOffset? SentAt,
        int Recipients, int Delivered, int Failed, int UnfollowsAfter);
}

/// <summary>Releases announcements whose time has come and reports finished ones to their author; on the replica holding the lease.</summary>
public sealed class AnnouncementJob(IServiceScopeFactory scopes, WorkLeases leases, IOptions<AnnouncementsOptions> options, ILogger<AnnouncementJob> logger) : BackgroundService
{
    public const string LeaseName = "job:announcements";

    private readonly SemaphoreSlim gate = new(1, 1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(LeaseName, options.Value.CheckInterval, options.Value.CheckInterval, TickAsync, logger, stoppingToken);

    /// <summary>One run; safe at any time and any number of times (tests call it directly).</summary>
    public async Task<(int Released, int Finished)> TickAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var service = scope.ServiceProvider.GetRequiredService<AnnouncementService>();
            await scope.ServiceProvider.GetRequiredService<DisasterModeService>().RetryMenusAsync(ct);
            var result = (await service.ReleaseDueAsync(ct), await service.FinishAsync(ct));
            await service.ReportUnfollowsAsync(ct);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }
}

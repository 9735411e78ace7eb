using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShiogamaDx.Bot.Guidelines;
using ShiogamaDx.Bot.Plan;
using ShiogamaDx.Bot.Tests.Infrastructure;

namespace ShiogamaDx.Bot.Tests.Guidelines;

/// <summary>The calibrated weights are settings (Guidelines:Weights, Plan:Weights): the calibration harness sets them so.</summary>
public sealed class GuidelineWeightsTests
{
    [Fact]
    public void Weights_FromConfiguration_ReachTheGuidelineAndThePlan_OthersKeepTheirDefaults()
    {
        using var app = new BotApplication(new Dictionary<string, string?>
        {
            ["Guidelines:Weights:HeadBoost"] = "1.5",
            ["Plan:Weights:GlossaryWeight"] = "0.6",
        });

        var guideline = app.Services.GetRequiredService<IOptions<GuidelinesOptions>>().Value.Weights;
        var plan = app.Services.GetRequiredService<PlanLibrary>();

        Assert.Equal(new GuidelineWeights { HeadBoost = 1.5f }, guideline);
        Assert.Equal(new PlanWeights { GlossaryWeight = 0.6f }, plan.Weights);
        // One retrieval: the plan's index ranks with the guideline's retrieval weights.
        Assert.Equal(guideline, plan.SearchOptions.Weights);
    }
}

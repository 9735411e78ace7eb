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

    [Theory]
    [InlineData("Guidelines:Weights:HeadBoost", "-1", "Guidelines:Weights")]
    [InlineData("Guidelines:Weights:CommonShare", "1.5", "Guidelines:Weights")]
    [InlineData("Guidelines:Weights:FeedbackSections", "-3", "Guidelines:Weights")]
    [InlineData("Plan:Weights:UnnamedCoverage", "-0.2", "Plan:Weights")]
    [InlineData("Plan:Weights:GlossaryWeight", "2", "Plan:Weights")]
    public void Start_WithAWeightOutOfItsRange_IsRefused(string key, string value, string named)
    {
        using var app = new BotApplication(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
        Assert.Contains(key.Split(':')[^1], error.ToString(), StringComparison.Ordinal);
    }
}

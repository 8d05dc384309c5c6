using CallTracking.Engine.Configuration;
using CallTracking.Media.Sessions;

namespace CallTracking.Engine.Calls.Control;

/// <summary>The audio of a plan's prompts, keyed by the plan (a plan and its outside-hours plan).</summary>
public sealed class PlanPrompts
{
    private readonly Dictionary<RoutingPlan, (PromptAudio? Notice, PromptAudio? Whisper, PromptAudio? Greeting)> _byPlan;

    public PlanPrompts(Dictionary<RoutingPlan, (PromptAudio? Notice, PromptAudio? Whisper, PromptAudio? Greeting)> byPlan)
    {
        _byPlan = byPlan;
    }

    public static PlanPrompts Empty { get; } = new([]);

    public PromptAudio? Notice(RoutingPlan plan) => _byPlan.TryGetValue(plan, out var p) ? p.Notice : null;

    public PromptAudio? Whisper(RoutingPlan plan) => _byPlan.TryGetValue(plan, out var p) ? p.Whisper : null;

    public PromptAudio? Greeting(RoutingPlan plan) => _byPlan.TryGetValue(plan, out var p) ? p.Greeting : null;
}

using Pyrometer.Agent.Cli;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Injection;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Injection;

/// <summary>
/// Every mode, format set and option the CRD allows, built into agent arguments by the operator and parsed and bound by
/// the agent's real command line: a new spec value or a changed agent option shows here as a refused or altered setting.
/// </summary>
public sealed class AgentArgsCombinationTests
{
    private static readonly ProcessSelector?[] Processes = [null, new() { Pid = 7 }, new() { CommandMatch = "gunicorn: master.*" }];

    /// <summary>The bounds of spec.rate and spec.duration, and a duration the agent gets rounded up.</summary>
    private static readonly int[] Rates = [1, ProfileRequestSpec.DefaultRate, ProfileRequestSpec.MaxRate];
    private static readonly string[] Durations = ["1s", "1500ms", "30s", "1h"];

    [Fact]
    public void ParseRecord_EveryCrdCombination_BindsToTheSameSettings()
    {
        var checkedCount = 0;
        foreach (var mode in ProfileModes.All)
        {
            foreach (var formats in NonEmptySubsets(ProfileFormats.All))
            {
                foreach (var maxPods in new int?[] { null, ProfileTarget.MaxMaxPods })
                {
                    foreach (var process in Processes)
                    {
                        foreach (var (subprocesses, blocking) in new[] { (false, false), (true, false), (false, true), (true, true) })
                        {
                            var spec = Request(configure: s =>
                            {
                                s.Mode = mode;
                                s.Formats = formats;
                                s.Target.MaxPods = maxPods;
                                s.Target.Process = process;
                                s.Subprocesses = subprocesses;
                                s.Blocking = blocking;
                                s.Rate = Rates[checkedCount % Rates.Length];
                                s.Duration = Durations[checkedCount % Durations.Length];
                            }).Spec;
                            Check(spec);
                            checkedCount++;
                        }
                    }
                }
            }
        }
        // 4 modes x 15 format sets x 2 pod counts x 3 process selectors x 4 flag pairs.
        Assert.Equal(ProfileModes.All.Count * 15 * 2 * 3 * 4, checkedCount);
    }

    private static void Check(ProfileRequestSpec spec)
    {
        Assert.True(GoDuration.TryParse(spec.Duration, out var duration), spec.Duration);
        var agentFormats = ProfileRequestReconciler.AgentFormats(spec);
        var uploads = agentFormats
            .Select((format, i) => new KeyValuePair<string, Uri>(format, new Uri($"https://store.test/up/{i}?X-Amz-Signature=s{i}")))
            .ToList();
        var launch = AgentArgsBuilder.Build(spec, duration, uploads);
        var errors = new List<string>();

        var settings = PyrometerCommandLine.ParseRecord(launch.Args, errors, name => name == AgentArgsBuilder.UploadsVariable ? launch.Uploads : null);

        var what = string.Join(' ', launch.Args);
        Assert.True(errors.Count == 0, what + ": " + string.Join("; ", errors));
        Assert.NotNull(settings);
        Assert.Equal(spec.Mode, settings.Mode.ToString().ToLowerInvariant());
        Assert.Equal(agentFormats, settings.Formats);
        Assert.Equal(uploads.Select(u => (u.Key, u.Value)), settings.Uploads.Select(u => (u.Format, u.Url)));
        Assert.Equal(AgentArgsBuilder.UploadsVariable, settings.UploadVariable);
        Assert.Equal(spec.Rate, settings.Rate);
        Assert.Equal(TimeSpan.FromSeconds(Math.Ceiling(duration.TotalSeconds)), settings.Duration);
        Assert.Equal(spec.Subprocesses, settings.Subprocesses);
        Assert.Equal(spec.Blocking, settings.Blocking);
        Assert.Equal(spec.Target.Process?.Pid, settings.Target.Pid);
        Assert.Equal(spec.Target.Process?.CommandMatch, settings.Target.Match);
        Assert.Empty(settings.Target.Command);
        Assert.Equal(AgentArgsBuilder.TerminationMessagePath, settings.ResultFile);
        Assert.Null(settings.Output);
        Assert.Null(settings.OutputDirectory);
        Assert.False(settings.Threads, what);
    }

    private static IEnumerable<List<string>> NonEmptySubsets(IReadOnlyList<string> all)
    {
        for (var mask = 1; mask < 1 << all.Count; mask++)
        {
            yield return all.Where((_, i) => (mask & (1 << i)) != 0).ToList();
        }
    }
}

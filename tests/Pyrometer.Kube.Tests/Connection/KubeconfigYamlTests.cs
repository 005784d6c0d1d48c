using System.Text.Json;
using k8s;
using Pyrometer.Kube.Connection;

namespace Pyrometer.Kube.Tests.Connection;

public sealed class KubeconfigYamlTests
{
    private static string AssetDirectory => Path.Combine(AppContext.BaseDirectory, "Assets");

    public static TheoryData<string> Kubeconfigs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(AssetDirectory, "kubeconfig-*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Kubeconfigs))]
    public void Parse_EveryAsset_ReadsWhatTheClientsOwnReaderReads(string name)
    {
        var path = Path.Combine(AssetDirectory, name);

        var ours = KubeconfigYaml.Parse(path, KubeconfigYaml.ReadText(path));
        var clients = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), useRelativePaths: false);

        Assert.NotNull(ours);
        Assert.NotEmpty(ours.Contexts);
        Assert.Equal(JsonSerializer.Serialize(clients), JsonSerializer.Serialize(ours));
    }

    [Fact]
    public void Parse_EmptyFile_IsNull()
    {
        Assert.Null(KubeconfigYaml.Parse("empty", ""));
    }

    [Fact]
    public void ReadText_LargerThanTheCap_IsRefusedNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pyrometer-kubeconfig-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, "clusters: []\n" + new string('#', KubeconfigYaml.MaxFileBytes));

            var error = Assert.Throws<KubeConfigException>(() => KubeconfigYaml.ReadText(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

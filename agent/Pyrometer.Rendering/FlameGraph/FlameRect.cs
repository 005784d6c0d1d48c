namespace Pyrometer.Rendering.FlameGraph;

/// <summary>
/// One box of a flame graph in sample units. <see cref="Frame"/> is a frame id, <see cref="FlameLayout.RootFrame"/>
/// for "all" or <see cref="FlameLayout.MergedFrame"/> for merged narrow frames, whose ids are
/// <c>MergedFrames[MergedStart .. MergedStart + MergedCount]</c>.
/// </summary>
internal readonly record struct FlameRect(int Depth, long Start, long Width, int Frame, int Parent, int MergedStart, int MergedCount);

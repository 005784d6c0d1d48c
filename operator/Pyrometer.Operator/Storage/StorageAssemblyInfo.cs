using System.Runtime.CompilerServices;

// The storage tests live in their own project (they start real S3 and HTTP servers); the attribute
// sits here rather than in the project file so the storage folder carries everything it needs.
[assembly: InternalsVisibleTo("Pyrometer.Operator.Storage.Tests")]

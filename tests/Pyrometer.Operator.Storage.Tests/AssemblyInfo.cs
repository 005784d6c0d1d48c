// The S3 tests measure the process's allocations around one upload and restart the shared S3 server; tests
// running beside them would disturb both, so this assembly runs its tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

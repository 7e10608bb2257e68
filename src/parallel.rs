//! Work spread over the machine's cores, results kept in input order.

/// Splits `items` into one run per core (at most 8), calls `f` on each run on its own thread
/// (`f` may keep per-thread state, such as caches) and concatenates the results in order.
pub fn map_chunks<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> Vec<R> + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let jobs: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| f(part)))
            .collect();
        jobs.into_iter().flat_map(joined).collect()
    })
}

/// The result of a scoped thread; its panic, if it panicked, goes on in the caller.
pub fn joined<T>(job: std::thread::ScopedJoinHandle<'_, T>) -> T {
    job.join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

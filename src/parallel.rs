//! Work spread over the machine's cores, results kept in input order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Items handed to a thread at a time by [`map_balanced`].
const BATCH: usize = 8;

/// One thread per core, at most 8.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// The result of a scoped thread; its panic, if it panicked, goes on in the caller.
pub fn joined<T>(job: std::thread::ScopedJoinHandle<'_, T>) -> T {
    job.join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Maps each of `items` with `f` on one thread per core (the caller's included), handing the
/// items out a few at a time as threads become free, so that a thread slowed down, by costlier
/// items or by the system, does not hold the others up; each thread makes its own state (a
/// compiler, caches) with `init`. Results in input order.
pub fn map_balanced<T, S, R>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = init();
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(BATCH, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let batch = &items[start..(start + BATCH).min(items.len())];
            done.push((
                start,
                batch.iter().map(|t| f(&mut state, t)).collect::<Vec<R>>(),
            ));
        }
    };
    let helpers = threads().min(items.len().div_ceil(BATCH)).saturating_sub(1);
    let mut batches = std::thread::scope(|scope| {
        let jobs: Vec<_> = (0..helpers).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for job in jobs {
            all.extend(joined(job));
        }
        all
    });
    batches.sort_unstable_by_key(|(start, _)| *start);
    batches
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}

/// Drops `value` on a thread of its own, so that the caller need not wait while a large
/// structure of many small allocations (a PDF's objects) is freed.
pub fn drop_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_results_are_in_input_order_with_state_per_thread() {
        let items: Vec<usize> = (0..1000).collect();
        let squares = map_balanced(&items, Vec::new, |seen: &mut Vec<usize>, &i| {
            seen.push(i);
            // Each thread sees its own items in increasing order.
            assert!(seen.windows(2).all(|w| w[0] < w[1]));
            i * i
        });
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert!(map_balanced(&[] as &[u8], || (), |_, _| 0u8).is_empty());
    }
}

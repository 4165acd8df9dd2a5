//! CPU-bound work over many independent items (turning feed items into articles, judging
//! languages) spread over the machine's cores, in order. One implementation, so every bulk
//! step shares the same thread bound and the same answer to a worker that panics.

/// Most threads one bulk step uses (beyond this, SQLite's single writer is the bound).
const MAX_THREADS: usize = 8;

/// Threads a bulk step may use: one per core, at most [`MAX_THREADS`].
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
}

/// Maps `f` over `items` on up to one thread per core, keeping their order. Fewer than `min`
/// items (or one core) are mapped on this thread: starting threads costs more than they save.
/// A worker that panics loses only its share of the items, which are missing from the result
/// (the callers' items stay unknown and are tried again).
pub fn map<T: Send, U: Send>(items: Vec<T>, min: usize, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let threads = threads();
    if threads <= 1 || items.len() < min.max(2) {
        return items.into_iter().map(f).collect();
    }
    let per_thread = items.len().div_ceil(threads);
    let mut shares: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut rest = items.into_iter();
    loop {
        let share: Vec<T> = rest.by_ref().take(per_thread).collect();
        if share.is_empty() {
            break;
        }
        shares.push(share);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = shares
            .into_iter()
            .map(|share| scope.spawn(move || share.into_iter().map(f).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn order_is_kept_on_every_path() {
        for n in [0, 1, 5, 31, 32, 33, 1000] {
            let items: Vec<usize> = (0..n).collect();
            let out = super::map(items, 32, |i| i * 2);
            assert_eq!(out, (0..n).map(|i| i * 2).collect::<Vec<_>>(), "n = {n}");
        }
    }
}

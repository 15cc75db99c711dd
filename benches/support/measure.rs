//! What the benches share: a counting allocator for peak heap bytes, and jobs timed in turns.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Tracks live and peak heap bytes; a bench makes it the global allocator.
pub struct PeakAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

/// Peak heap bytes above what was live before, while `job` runs (with [`PeakAlloc`] as the
/// global allocator).
pub fn peak_bytes(job: impl FnOnce()) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    job();
    PEAK.load(Ordering::Relaxed).saturating_sub(before)
}

/// Best-of-`rounds` seconds of each job, the jobs run in turns, so that a busy spell on this
/// shared machine slows them all alike.
pub fn best_in_turns<const N: usize>(rounds: usize, jobs: &mut [&mut dyn FnMut(); N]) -> [f64; N] {
    let mut best = [f64::INFINITY; N];
    for _ in 0..rounds {
        for (job, best) in jobs.iter_mut().zip(&mut best) {
            let start = std::time::Instant::now();
            job();
            *best = best.min(start.elapsed().as_secs_f64());
        }
    }
    best
}

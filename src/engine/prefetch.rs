//! A hint to the processor to bring a line of memory into the cache ahead of its use.

/// Asks the processor to bring the cache line holding `value` into the first-level cache.
/// A hint only: it reads nothing into the program's state and never faults. Does nothing on
/// processors other than x86-64.
#[inline(always)]
pub(super) fn line<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint with no effect on the program's state: it reads nothing
    // into it and never faults (the pointer is to a live value anyway).
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            std::ptr::from_ref(value).cast(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

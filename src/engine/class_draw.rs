//! The caller-class draw: which class a ringing caller belongs to, by inversion of the
//! cumulative class shares, and what an arrival of each class reads first
//! ([`ClassAtArrival`]).
//!
//! A floor of 20 departments has 20 classes, and a bisection of their cumulative shares cost
//! about 50 instructions per arrival. A guide table (Chen and Asau's method) finds the same
//! class in one or two comparisons: it keeps, for each of `m` equal slices of `[0, 1)`, the
//! first class whose cumulative share reaches past the slice's start. The class drawn for a
//! given uniform number is exactly the bisection's, so results do not change.

use crate::dist::DurationDist;
use crate::model::CallerClass;

/// Guide-table slices per class, at least: two keep the forward scan short when shares
/// differ. The slices are a power of two, so that a uniform number's slice is read from its
/// bits, without a conversion to an integer.
const SLICES_PER_CLASS: usize = 2;

/// The cumulative shares of the caller classes and their guide table.
#[derive(Debug, Clone)]
pub struct ClassDraw {
    /// Cumulative class shares, non-decreasing.
    cumulative: Vec<f64>,
    /// Per slice `j` of `[0, 1)`, the first class whose cumulative share exceeds `j / m`
    /// (at most the last class); `m` is a power of two.
    guide: Vec<u32>,
    /// The shift that leaves a slice's number in the bits of `1 + u`: 52 − log2(m).
    shift: u32,
}

impl ClassDraw {
    /// The draw over classes of `shares` (in class order).
    pub fn new(shares: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        let cumulative: Vec<f64> = shares
            .into_iter()
            .map(|s| {
                acc += s;
                acc
            })
            .collect();
        let last = cumulative.len().saturating_sub(1);
        let slices = (cumulative.len() * SLICES_PER_CLASS).next_power_of_two();
        let guide = (0..slices)
            .map(|j| {
                let start = j as f64 / slices as f64;
                cumulative.partition_point(|&c| c <= start).min(last) as u32
            })
            .collect();
        let shift = f64::MANTISSA_DIGITS - 1 - slices.trailing_zeros();
        Self {
            cumulative,
            guide,
            shift,
        }
    }

    /// Whether there is only one class (nothing to draw).
    #[inline(always)]
    pub fn single(&self) -> bool {
        self.cumulative.len() == 1
    }

    /// The first class whose cumulative share exceeds `u` (in `[0, 1)`), or the last class:
    /// the bisection's answer, found from `u`'s slice of the guide table.
    #[inline]
    pub fn class_of(&self, u: f64) -> usize {
        let c = &self.cumulative;
        let last = c.len() - 1;
        // `1 + u` is in [1, 2): its top fraction bits are `u`'s slice.
        let j = ((1.0 + u).to_bits() >> self.shift) as usize & (self.guide.len() - 1);
        let mut i = self.guide[j] as usize;
        if i > 0 && c[i - 1] > u {
            // `1 + u` rounded up onto the next slice: a class before the guide's may be the
            // one. Never wrong, only slower, and rare.
            return self.bisect(u);
        }
        while i < last && c[i] <= u {
            i += 1;
        }
        i
    }

    /// The same answer by bisection over all the classes.
    fn bisect(&self, u: f64) -> usize {
        let c = &self.cumulative;
        c.partition_point(|&s| s <= u).min(c.len() - 1)
    }
}

/// What every arrival of a class reads, packed in two cache lines: a caller class in the
/// scenario spans ten, and on a floor of 20 classes the six an arrival touched were mostly
/// out of the cache by the class's next caller. The rarer parts (wrap-up, follow-ups,
/// misroutes) stay in the scenario, read only when [`ClassAtArrival::extras`] says so.
#[derive(Debug, Clone)]
#[repr(C, align(64))]
pub struct ClassAtArrival {
    /// Talk time.
    pub handle_time: DurationDist,
    /// Queue level (department and priority).
    pub level: u16,
    /// The department that can help.
    pub department: u8,
    /// Which of [`ClassAtArrival::AFTER_CALL_WORK`], [`ClassAtArrival::FOLLOW_UP`] and
    /// [`ClassAtArrival::MISROUTE`] the class has.
    pub extras: u8,
    /// Time a caller is willing to wait; `None`: infinite patience.
    pub patience: Option<DurationDist>,
}

impl ClassAtArrival {
    /// The class has wrap-up after its calls.
    pub const AFTER_CALL_WORK: u8 = 1;
    /// The class's first calls may leave a follow-up.
    pub const FOLLOW_UP: u8 = 2;
    /// The class's calls may first reach a wrong department.
    pub const MISROUTE: u8 = 4;

    /// The arrival record of `class` at queue level `level`.
    pub fn new(class: &CallerClass, level: u16) -> Self {
        let bit = |present: bool, bit: u8| if present { bit } else { 0 };
        Self {
            handle_time: class.handle_time.clone(),
            level,
            department: class.department,
            extras: bit(class.after_call_work.is_some(), Self::AFTER_CALL_WORK)
                | bit(class.follow_up.is_some(), Self::FOLLOW_UP)
                | bit(class.misroute.is_some(), Self::MISROUTE),
            patience: class.patience.clone(),
        }
    }

    /// Whether the class has `extra` (one of the bits above).
    #[inline(always)]
    pub fn has(&self, extra: u8) -> bool {
        self.extras & extra != 0
    }
}

// The hot part of an arrival (talk time, level, department, extras) fills the first line.
const _: () = assert!(std::mem::offset_of!(ClassAtArrival, patience) <= 64);
const _: () = assert!(std::mem::size_of::<ClassAtArrival>() == 128);

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    /// The guide table must give the bisection's class for every uniform number: random
    /// ones, each class's boundary and the numbers either side of it.
    fn agrees_with_bisection(shares: &[f64]) {
        let draw = ClassDraw::new(shares.iter().copied());
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut probes: Vec<f64> = (0..20_000).map(|_| rng.random::<f64>()).collect();
        for &c in &draw.cumulative {
            probes.extend([c, c.next_down(), c.next_up()]);
        }
        for j in 0..draw.guide.len() {
            let start = j as f64 / draw.guide.len() as f64;
            probes.extend([start, start.next_down(), start.next_up()]);
        }
        probes.extend([0.0, 1.0f64.next_down()]);
        for u in probes.into_iter().filter(|u| (0.0..1.0).contains(u)) {
            assert_eq!(
                draw.class_of(u),
                draw.bisect(u),
                "u = {u:e}, shares {shares:?}"
            );
        }
    }

    #[test]
    fn the_guide_table_draws_the_bisections_class() {
        agrees_with_bisection(&[1.0]);
        agrees_with_bisection(&[0.05; 20]);
        agrees_with_bisection(&[1.0 / 3.0; 3]);
        agrees_with_bisection(&[0.7, 0.1, 0.1, 0.1]);
        agrees_with_bisection(&[0.001, 0.0, 0.5, 0.0, 0.499]);
        // Shares that fall short of 1 by rounding: the top of [0, 1) goes to the last class.
        agrees_with_bisection(&[0.1; 9]);
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        for n in 2..40 {
            let raw: Vec<f64> = (0..n).map(|_| rng.random::<f64>().powi(3)).collect();
            let total: f64 = raw.iter().sum();
            agrees_with_bisection(&raw.iter().map(|r| r / total).collect::<Vec<_>>());
        }
    }

    #[test]
    fn each_class_is_drawn_in_proportion_to_its_share() {
        let shares = [0.5, 0.25, 0.125, 0.125];
        let draw = ClassDraw::new(shares);
        let mut counts = [0u32; 4];
        let n = 1 << 16;
        for k in 0..n {
            counts[draw.class_of((f64::from(k) + 0.5) / f64::from(n))] += 1;
        }
        for (count, share) in counts.iter().zip(shares) {
            assert_eq!(f64::from(*count), share * f64::from(n));
        }
    }
}

//! Fresh sequence numbers for the pending events, when the keys' [`super::SEQ_BITS`] run out.
//!
//! The sequence number only breaks ties of time and class, first scheduled first. Numbering
//! the pending events afresh from 1, in the order of their old numbers, keeps every tie as it
//! was: the events come out in exactly the order they would have with numbers of any width.

use super::{ABSENT, EventQueue, seq_of, with_seq};

impl EventQueue {
    /// Numbers the pending events 1, 2, … in the order of their sequence numbers and continues
    /// after the last. Cold: it runs once in 2²⁹ events.
    #[cold]
    #[inline(never)]
    pub(super) fn renumber(&mut self) {
        let mut old = std::mem::take(&mut self.renumbering);
        old.clear();
        old.extend(self.keys.by_node()[..self.len].iter().map(|&k| seq_of(k)));
        old.extend(self.patience.keys().map(seq_of));
        if self.arrival != ABSENT {
            old.push(seq_of(self.arrival));
        }
        // Sequence numbers are unique, so an event's new number is its rank among them.
        old.sort_unstable();
        let new = |key: u128| {
            let rank = old
                .binary_search(&seq_of(key))
                .expect("a pending event's number");
            with_seq(key, rank as u64 + 1)
        };
        for key in &mut self.keys.by_node()[..self.len] {
            *key = new(*key);
        }
        self.patience.rekey(new);
        if self.arrival != ABSENT {
            self.arrival = new(self.arrival);
        }
        self.side = self.arrival.min(self.patience.first_key());
        self.renumbered_away += self.seq - old.len() as u64;
        self.seq = old.len() as u64;
        // 2²⁹ pending events would need 8 GiB of keys alone (16 bytes each); a test that
        // renumbers more often must stay under its own limit.
        assert!(
            self.seq < self.seq_limit,
            "{} events pending, at or past the renumbering limit of {}",
            self.seq,
            self.seq_limit
        );
        self.renumbering = old;
    }
}

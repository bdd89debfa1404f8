//! State set on a thread for the span of one piece of database work.
//!
//! actix's blocking pool runs many requests' work on the same few threads, and r2d2 hands
//! out a connection without its pool. What the statements deep inside that work need (the
//! request's deadline, its pool, the writer queue, the report slots) reaches them through
//! thread-locals, set here for exactly that span.

use std::cell::RefCell;
use std::thread::LocalKey;

/// A thread-local that holds a value only while [`with`] runs.
pub(crate) type Slot<T> = LocalKey<RefCell<Option<T>>>;

/// Runs `f` with `value` in `slot`, then puts back what was there before, also when `f`
/// panics: a reused thread must not carry one request's state into the next.
pub(crate) fn with<T: 'static, R>(slot: &'static Slot<T>, value: Option<T>, f: impl FnOnce() -> R) -> R {
    struct Restore<T: 'static>(&'static Slot<T>, Option<T>);
    impl<T: 'static> Drop for Restore<T> {
        fn drop(&mut self) {
            let before = self.1.take();
            self.0.with(|s| *s.borrow_mut() = before);
        }
    }
    let _restore = Restore(slot, slot.with(|s| s.replace(value)));
    f()
}

/// What `slot` holds on this thread now.
pub(crate) fn get<T: Clone + 'static>(slot: &'static Slot<T>) -> Option<T> {
    slot.with(|s| s.borrow().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SLOT: RefCell<Option<u32>> = const { RefCell::new(None) };
    }

    #[test]
    fn a_value_lives_for_its_span_and_the_one_before_comes_back() {
        assert_eq!(get(&SLOT), None);
        let seen = with(&SLOT, Some(1), || (get(&SLOT), with(&SLOT, Some(2), || get(&SLOT)), get(&SLOT)));
        assert_eq!(seen, (Some(1), Some(2), Some(1)));
        assert_eq!(get(&SLOT), None);
    }

    #[test]
    fn a_panic_does_not_leave_its_value_behind() {
        let caught = std::panic::catch_unwind(|| with(&SLOT, Some(3), || panic!("work failed")));
        assert!(caught.is_err());
        assert_eq!(get(&SLOT), None);
    }
}

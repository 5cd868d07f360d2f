//! What every simulated computer of one run is sent identically, read once and shared: a
//! revision's core facts (SyncUpdates) and its extended facts (GetExtendedUpdateInfo), and
//! the URL of each file digest. A revision id names one revision of one update on the
//! server, so its fragments are the same for every computer.
//!
//! Each computer still asks the server what a Windows Update Agent asks (the server's load is
//! the point of the simulator); what is shared is the parsing and the memory. Without it
//! each computer held its own copy of the catalog's facts, about 1.5 MB, and 20,000
//! computers did not fit one simulator process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::core::CoreFacts;
use super::extended::FragmentFacts;

/// A revision's core facts with its update id, ready to be held by many computers.
#[derive(Debug, Clone)]
pub struct Known {
    pub update_id: Arc<str>,
    pub facts: Arc<CoreFacts>,
}

#[derive(Default)]
pub struct Shared {
    cores: Mutex<HashMap<i32, Known>>,
    extended: Mutex<HashMap<i32, Arc<FragmentFacts>>>,
    locations: Mutex<HashMap<String, Arc<str>>>,
}

/// A poisoned lock only means another task panicked while holding it; every map here is
/// whole after each insert, so the data stays usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// The core facts of `rev`, read with `read` the first time any computer meets it.
    pub fn core<E>(&self, rev: i32, read: impl FnOnce() -> Result<CoreFacts, E>) -> Result<Known, E> {
        if let Some(known) = lock(&self.cores).get(&rev) {
            return Ok(known.clone());
        }
        // Read outside the lock: two computers meeting a new revision at once both parse it,
        // and the first insert wins; the two readings are equal.
        let facts = read()?;
        let known = Known {
            update_id: Arc::from(facts.update_id.as_str()),
            facts: Arc::new(facts),
        };
        Ok(lock(&self.cores).entry(rev).or_insert(known).clone())
    }

    /// Keeps what a revision's fragments said (its extended fragment names the files, its
    /// localized one the title); the first reading kept wins.
    pub fn put_extended(&self, rev: i32, facts: FragmentFacts) {
        lock(&self.extended).entry(rev).or_insert_with(|| Arc::new(facts));
    }

    pub fn extended(&self, rev: i32) -> Option<Arc<FragmentFacts>> {
        lock(&self.extended).get(&rev).cloned()
    }

    pub fn add_location(&self, digest: String, url: String) {
        lock(&self.locations).insert(digest, Arc::from(url));
    }

    pub fn location(&self, digest: &str) -> Option<Arc<str>> {
        lock(&self.locations).get(digest).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_is_read_once_and_its_fragments_merge() {
        let shared = Shared::default();
        let mut reads = 0;
        for _ in 0..3 {
            let known = shared
                .core(7, || {
                    reads += 1;
                    Ok::<_, ()>(CoreFacts {
                        update_id: "abc".into(),
                        ..CoreFacts::default()
                    })
                })
                .unwrap();
            assert_eq!(&*known.update_id, "abc");
        }
        assert_eq!(reads, 1);
        assert!(shared.core(8, || Err::<CoreFacts, _>("bad")).is_err());

        shared.put_extended(
            7,
            FragmentFacts {
                title: Some("First".into()),
                ..FragmentFacts::default()
            },
        );
        shared.put_extended(
            7,
            FragmentFacts {
                title: Some("Second".into()),
                ..FragmentFacts::default()
            },
        );
        let merged = shared.extended(7).unwrap();
        assert_eq!(merged.title.as_deref(), Some("First"));
        assert!(shared.extended(8).is_none());
    }
}

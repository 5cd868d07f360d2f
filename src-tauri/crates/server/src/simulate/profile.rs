//! What a simulated computer is and what it finds when it evaluates an update: pure
//! functions of (seed, computer index, update id, the update's core fragment), so a test can
//! recompute every computer's expected state without running it.
//!
//! The simulator cannot evaluate real applicability rules (registry keys and values, files
//! and versions, WMI queries, Windows version, processor, MSI products, licences...). Only
//! the constant `<True />` and `<False />` rules are evaluated; every other decision is a
//! deterministic draw:
//!
//! `draw(seed, index, salt, update_id)` = the first 8 bytes of
//! SHA-256(`"{seed}:{index}:{salt}:{update_id lower-case}"`), big-endian, modulo 100.
//!
//! | update | installed / applicable when |
//! |---|---|
//! | category without prerequisites (company, classification) | always installed |
//! | category or detectoid whose `IsInstalled` is `<True />` | installed |
//! | other category (product family, product) | installed when `draw("product") < 50` |
//! | other detectoid | installed when `draw("detectoid") < 50` |
//! | software or driver (not a bundle) | applicable when `draw("applicable") < 70`; if applicable, installed when `draw("installed") < 30` |
//! | software whose `IsInstalled` is `<False />` | as above, but never installed, not even after the computer installs it |
//! | bundle | from its members the computer holds: needed when any is needed, else installed when any is installed, else not applicable; with no member held, as a software update |
//!
//! Before any of that, as the agent does, every prerequisite group must have a member the
//! computer holds and found installed; if not, a non-software update is not installed and
//! a software update not applicable. [`Evaluator`] applies that walk.

use std::collections::HashMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::core::CoreFacts;

/// Percentages of the draws (see the module header).
pub const PRODUCT_PERCENT: u64 = 50;
pub const DETECTOID_PERCENT: u64 = 50;
pub const APPLICABLE_PERCENT: u64 = 70;
pub const INSTALLED_PERCENT: u64 = 30;

/// A number in 0..100, the same for the same inputs on every run and machine.
pub fn draw(seed: u64, index: u64, salt: &str, update_id: &str) -> u64 {
    let digest = Sha256::digest(format!("{seed}:{index}:{salt}:{}", update_id.to_ascii_lowercase()));
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % 100
}

/// What a computer finds for one update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// A category or detectoid found installed.
    Present,
    /// A category or detectoid found not installed.
    Absent,
    NotApplicable,
    /// Applicable and not installed: the `U` list of event 156.
    Needed,
    /// The `V` list of event 156.
    Installed,
}

/// The update's own decision, before its prerequisites and (for a bundle) members are
/// looked at: the table of the module header.
pub fn own_state(seed: u64, index: u64, core: &CoreFacts) -> State {
    let id = core.update_id.as_str();
    let present = |yes: bool| if yes { State::Present } else { State::Absent };
    if core.is_category() {
        return present(
            core.prerequisites.is_empty()
                || core.installed_rule_true
                || draw(seed, index, "product", id) < PRODUCT_PERCENT,
        );
    }
    if core.is_detectoid() {
        return present(core.installed_rule_true || draw(seed, index, "detectoid", id) < DETECTOID_PERCENT);
    }
    if draw(seed, index, "applicable", id) >= APPLICABLE_PERCENT {
        State::NotApplicable
    } else if !core.installed_rule_false && draw(seed, index, "installed", id) < INSTALLED_PERCENT {
        State::Installed
    } else {
        State::Needed
    }
}

/// One computer's evaluation of the updates it holds, prerequisites and bundles walked.
pub struct Evaluator<'a> {
    seed: u64,
    index: u64,
    held: &'a HashMap<Arc<str>, Arc<CoreFacts>>,
    /// What the computer changed itself (installed, uninstalled), over the draws.
    overrides: Option<&'a HashMap<String, State>>,
    memo: HashMap<String, State>,
}

impl<'a> Evaluator<'a> {
    /// `held`: the core facts of every update the computer holds, by lower-case update id.
    pub fn new(seed: u64, index: u64, held: &'a HashMap<Arc<str>, Arc<CoreFacts>>) -> Self {
        Evaluator {
            seed,
            index,
            held,
            overrides: None,
            memo: HashMap::new(),
        }
    }

    /// The same evaluation after the computer installed or uninstalled some updates itself.
    pub fn with_overrides(mut self, overrides: &'a HashMap<String, State>) -> Self {
        self.overrides = Some(overrides);
        self
    }

    /// The state of a held update; `None` for one the computer does not hold.
    pub fn state(&mut self, update_id: &str) -> Option<State> {
        self.state_at(update_id, 0)
    }

    fn state_at(&mut self, update_id: &str, depth: usize) -> Option<State> {
        if let Some(s) = self.memo.get(update_id) {
            return Some(*s);
        }
        let core = self.held.get(update_id)?;
        // The never-true rule says not installed whatever the computer did.
        if let Some(s) = self
            .overrides
            .and_then(|o| o.get(update_id))
            .filter(|s| !(core.installed_rule_false && **s == State::Installed))
        {
            return Some(*s);
        }
        // A catalog with a cycle, or a very deep one, is not evaluated further.
        if depth > 64 {
            return Some(if core.is_software() {
                State::NotApplicable
            } else {
                State::Absent
            });
        }
        let prerequisites_met = core.prerequisites.iter().all(|group| {
            group
                .iter()
                .any(|p| matches!(self.state_at(p, depth + 1), Some(State::Present | State::Installed)))
        });
        let state = if !prerequisites_met {
            if core.is_software() {
                State::NotApplicable
            } else {
                State::Absent
            }
        } else if core.is_bundle() {
            let members: Vec<State> = core
                .bundled
                .iter()
                .filter_map(|m| self.state_at(m, depth + 1))
                .collect();
            if members.is_empty() {
                own_state(self.seed, self.index, core)
            } else if members.contains(&State::Needed) {
                State::Needed
            } else if members.contains(&State::Installed) {
                State::Installed
            } else {
                State::NotApplicable
            }
        } else {
            own_state(self.seed, self.index, core)
        };
        self.memo.insert(update_id.to_owned(), state);
        Some(state)
    }
}

/// A Windows edition a simulated computer runs: what `RegisterComputer` and the events say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Os {
    pub description: &'static str,
    pub major: i32,
    pub minor: i32,
    pub build: i32,
    /// `NewProductType`: 1 workstation, 3 server.
    pub product_type: i32,
}

/// The editions drawn from, by the seed and index (`draw("os")`).
pub const OSES: [Os; 5] = [
    Os {
        description: "Windows 11 Pro",
        major: 10,
        minor: 0,
        build: 26200,
        product_type: 1,
    },
    Os {
        description: "Windows 11 Enterprise",
        major: 10,
        minor: 0,
        build: 22631,
        product_type: 1,
    },
    Os {
        description: "Windows 10 Pro",
        major: 10,
        minor: 0,
        build: 19045,
        product_type: 1,
    },
    Os {
        description: "Windows Server 2022 Datacenter",
        major: 10,
        minor: 0,
        build: 20348,
        product_type: 3,
    },
    Os {
        description: "Windows Server 2025 Standard",
        major: 10,
        minor: 0,
        build: 26100,
        product_type: 3,
    },
];

/// `ProcessorArchitecture` as RegisterComputer sends it, and as the events do.
pub const ARCHITECTURES: [(&str, &str); 2] = [("AMD64", "Amd64Compatible"), ("ARM64", "Arm64Compatible")];

/// Who one simulated computer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub index: u64,
    /// A GUID derived from the seed and index (lower-case), the SimpleAuth `clientId`.
    pub client_id: String,
    /// `sim-<seed>-<index>`.
    pub dns_name: String,
    pub os: Os,
    /// (RegisterComputer's, the events').
    pub architecture: (&'static str, &'static str),
}

pub fn identity(seed: u64, index: u64) -> Identity {
    let digest = Sha256::digest(format!("patchdeck-sim:{seed}:{index}"));
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    // A version 4 / RFC 4122 variant GUID in form, so no reader refuses it.
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let os = OSES[(draw(seed, index, "os", "") % OSES.len() as u64) as usize];
    // One computer in ten is ARM64.
    let architecture = ARCHITECTURES[usize::from(draw(seed, index, "arch", "") < 10)];
    Identity {
        index,
        client_id: guid(&b),
        dns_name: format!("sim-{seed}-{index}"),
        os,
        architecture,
    }
}

/// 16 bytes as a lower-case GUID text.
pub fn guid(b: &[u8; 16]) -> String {
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(id: &str, kind: &str) -> CoreFacts {
        CoreFacts {
            update_id: id.into(),
            revision: 1,
            update_type: kind.into(),
            ..CoreFacts::default()
        }
    }

    #[test]
    fn draws_are_stable_and_spread() {
        assert_eq!(draw(1, 2, "applicable", "ABC"), draw(1, 2, "applicable", "abc"));
        // Pinned: a change of the formula breaks every test that recomputes states.
        let d = Sha256::digest("7:3:installed:x");
        let expected = u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]) % 100;
        assert_eq!(draw(7, 3, "installed", "x"), expected);
        let below: usize = (0..1000)
            .filter(|i| draw(1, *i, "applicable", "u") < APPLICABLE_PERCENT)
            .count();
        assert!((600..800).contains(&below), "{below}");
    }

    #[test]
    fn identities_are_deterministic_guids_and_names() {
        let a = identity(42, 7);
        assert_eq!(a, identity(42, 7));
        assert_ne!(a.client_id, identity(42, 8).client_id);
        assert_ne!(a.client_id, identity(43, 7).client_id);
        assert_eq!(a.dns_name, "sim-42-7");
        assert_eq!(a.client_id.len(), 36);
        assert_eq!(a.client_id.as_bytes()[14], b'4');
    }

    #[test]
    fn roots_and_true_rules_are_present_and_prerequisites_gate_the_rest() {
        let mut held: HashMap<Arc<str>, Arc<CoreFacts>> = HashMap::new();
        held.insert(Arc::from("company"), Arc::new(facts("company", "Category")));
        let mut family = facts("family", "Category");
        family.prerequisites = vec![vec!["company".into()]];
        family.installed_rule_true = true;
        held.insert(Arc::from("family"), Arc::new(family));
        let mut orphan = facts("orphan", "Software");
        orphan.prerequisites = vec![vec!["not-held".into()]];
        held.insert(Arc::from("orphan"), Arc::new(orphan));
        let mut e = Evaluator::new(1, 1, &held);
        assert_eq!(e.state("company"), Some(State::Present));
        assert_eq!(e.state("family"), Some(State::Present));
        assert_eq!(e.state("orphan"), Some(State::NotApplicable));
        assert_eq!(e.state("unknown"), None);
    }

    #[test]
    fn a_leaf_follows_its_draws_and_a_bundle_its_members() {
        for index in 0..50 {
            let mut held: HashMap<Arc<str>, Arc<CoreFacts>> = HashMap::new();
            held.insert(Arc::from("a"), Arc::new(facts("a", "Software")));
            held.insert(Arc::from("b"), Arc::new(facts("b", "Software")));
            let mut bundle = facts("bundle", "Software");
            bundle.bundled = vec!["a".into(), "b".into()];
            held.insert(Arc::from("bundle"), Arc::new(bundle));
            let mut e = Evaluator::new(9, index, &held);
            let (a, b) = (e.state("a"), e.state("b"));
            let expected_a = if draw(9, index, "applicable", "a") >= APPLICABLE_PERCENT {
                State::NotApplicable
            } else if draw(9, index, "installed", "a") < INSTALLED_PERCENT {
                State::Installed
            } else {
                State::Needed
            };
            assert_eq!(a, Some(expected_a));
            let bundle = e.state("bundle");
            let members = [a, b];
            let expected = if members.contains(&Some(State::Needed)) {
                State::Needed
            } else if members.contains(&Some(State::Installed)) {
                State::Installed
            } else {
                State::NotApplicable
            };
            assert_eq!(bundle, Some(expected), "computer {index}");
        }
    }

    #[test]
    fn a_cycle_does_not_loop() {
        let mut held: HashMap<Arc<str>, Arc<CoreFacts>> = HashMap::new();
        let mut a = facts("a", "Detectoid");
        a.prerequisites = vec![vec!["b".into()]];
        let mut b = facts("b", "Detectoid");
        b.prerequisites = vec![vec!["a".into()]];
        held.insert(Arc::from("a"), Arc::new(a));
        held.insert(Arc::from("b"), Arc::new(b));
        assert_eq!(Evaluator::new(1, 1, &held).state("a"), Some(State::Absent));
    }
}

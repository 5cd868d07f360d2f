//! When a rule evaluates by itself. Everything is UTC.
